/**
 * graphs.stage1 end to end on a tiny synthetic dataset: it typechecks against the dataset's
 * frames and the avatar constants, and a few training steps on wasm lower the loss with
 * finite values throughout (pose and translation rows included).
 */
import { Effect, Either, Option } from "effect"
import assert from "node:assert/strict"
import { join } from "node:path"
import { describe, it } from "node:test"
import { avatarSetup } from "../../src/avatar/setup.ts"
import { openBody } from "../../src/body/openBody.ts"
import { readGaussianAvatar } from "../../src/data/gaussian-avatar.ts"
import { typecheck } from "../../src/dsl/typecheck.ts"
import { renderCamera, stage1Losses, stage1Rates } from "../../src/graphs/avatar/config.ts"
import { stage1 } from "../../src/graphs/avatar/stage1.ts"
import { run } from "../../src/runtime/run.ts"
import { DEFAULT_OPTIONS, synthesize } from "../../src/synth/generate.ts"
import { writeSynthetic } from "../../src/synth/write.ts"
import { withTempDir } from "../io/paths.ts"
import { runWith } from "../runtime/helpers.ts"

describe("graphs.stage1", () => {
  it("trains on a tiny synthetic dataset: typechecks, loss falls, everything finite", () =>
    withTempDir(async (dir) => {
      const body = openBody()
      await Effect.runPromise(writeSynthetic(dir, synthesize(body, { ...DEFAULT_OPTIONS, frames: 2, size: 48, testFrames: 1, novelPoseFrames: 1, textureSize: 128 })))
      const dataset = await Effect.runPromise(readGaussianAvatar(join(dir, "train")))
      const first = await Effect.runPromise(dataset.sample(0))
      const betas = Float64Array.from(first.tensors["betas"]?.data ?? [])
      const setup = avatarSetup(body, betas, 32, 16)
      const graph = stage1({
        dims: setup.dims,
        sizes: { querySize: 32, featureSize: 16, channels: 8, hidden: 16 },
        camera: renderCamera(first.tensors["intrinsic"]?.data ?? [], 48, 48),
        losses: stage1Losses,
        rates: stage1Rates(0)
      })
      assert.ok(Either.isRight(Effect.runSync(Effect.either(typecheck(graph)))))
      assert.ok(Option.isSome(dataset.perFrame("pose")))
      const result = await runWith("wasm", run(graph, dataset, { epochs: 8, constants: setup.constants }))
      assert.ok(Either.isRight(result), String(Either.isLeft(result) && result.left.message))
      const h = result.right.history.map((s) => s.total)
      assert.ok(h.every(Number.isFinite))
      assert.ok((h.at(-1) as number) < (h[0] as number), `loss ${h[0]} -> ${h.at(-1)}`)
      assert.ok(Array.from(result.right.frameParams["pose"]?.data ?? []).every(Number.isFinite))
    }))
})
