/** A run.json value for tests that write one. */
import type { RunInfo } from "../../src/avatar/runFolder.ts"
import { openBodyChoice } from "../../src/body/choice.ts"
import { presets } from "../../src/graphs/avatar/presets.ts"

export const sampleRunInfo: RunInfo = {
  version: 1,
  preset: presets.quick,
  body: openBodyChoice,
  data: { layout: "GaussianAvatar", folder: "/data", frames: 2 },
  subject: { betas: Array<number>(10).fill(0), intrinsic: [1, 0, 0, 0, 1, 0, 0, 0, 1], width: 4, height: 4 },
  extrinsic: Array<number>(16).fill(0)
}
