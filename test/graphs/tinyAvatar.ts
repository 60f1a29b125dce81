/** A tiny synthetic avatar dataset and the stage config that fits it, shared by the graph tests. */
import { Effect } from "effect"
import { join } from "node:path"
import type { AvatarSetup } from "../../src/graphs/avatar/setup.ts"
import { avatarSetup } from "../../src/graphs/avatar/setup.ts"
import { openBody } from "../../src/body/openBody.ts"
import type { Dataset } from "../../src/data/dataset.ts"
import { readGaussianAvatar } from "../../src/data/gaussian-avatar.ts"
import type { Stage1Config } from "../../src/graphs/avatar/config.ts"
import { renderCamera, stage1Losses, stage1Rates } from "../../src/graphs/avatar/config.ts"
import { DEFAULT_OPTIONS, synthesize } from "../../src/synth/generate.ts"
import { writeSynthetic } from "../../src/synth/write.ts"

export interface TinyAvatar {
  readonly dataset: Dataset
  readonly setup: AvatarSetup
  readonly config: Stage1Config
}

/** Two 48x48 training frames, 32x32 query and pose maps, 8 feature channels, decoder width 16. */
export const tinyAvatar = async (dir: string): Promise<TinyAvatar> => {
  const body = openBody()
  await Effect.runPromise(writeSynthetic(dir, synthesize(body, { ...DEFAULT_OPTIONS, frames: 2, size: 48, testFrames: 1, novelPoseFrames: 1, textureSize: 128 })))
  const dataset = await Effect.runPromise(readGaussianAvatar(join(dir, "train")))
  const first = await Effect.runPromise(dataset.sample(0))
  const setup = avatarSetup(body, Float64Array.from(first.tensors["betas"]?.data ?? []), 32, 32)
  const config: Stage1Config = {
    dims: setup.dims,
    sizes: { querySize: 32, featureSize: 32, channels: 8, hidden: 16 },
    camera: renderCamera(first.tensors["intrinsic"]?.data ?? [], 48, 48),
    losses: stage1Losses,
    rates: stage1Rates(0)
  }
  return { dataset, setup, config }
}
