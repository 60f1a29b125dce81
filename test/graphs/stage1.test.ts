/**
 * graphs.stage1 end to end on a tiny synthetic dataset: it typechecks against the dataset's
 * frames and the avatar constants, a few training steps on wasm lower the loss with finite
 * values throughout (pose and translation rows included), and graphs.render scores the
 * held-out views and poses.
 */
import { Effect, Either, Option } from "effect"
import assert from "node:assert/strict"
import { existsSync } from "node:fs"
import { join } from "node:path"
import { describe, it } from "node:test"
import { avatarSetup } from "../../src/graphs/avatar/setup.ts"
import { openBody } from "../../src/body/openBody.ts"
import { readGaussianAvatar } from "../../src/data/gaussian-avatar.ts"
import type { ParamSpec } from "../../src/dsl/graph.ts"
import { typecheck } from "../../src/dsl/typecheck.ts"
import { renderCamera, stage1Losses, stage1Rates } from "../../src/graphs/avatar/config.ts"
import { renderOf } from "../../src/graphs/avatar/render.ts"
import { stage1 } from "../../src/graphs/avatar/stage1.ts"
import { stage2 } from "../../src/graphs/avatar/stage2.ts"
import type { Evaluation } from "../../src/avatar/evaluate.ts"
import { evaluateSplit } from "../../src/avatar/evaluate.ts"
import { run } from "../../src/runtime/run.ts"
import { DEFAULT_OPTIONS, synthesize } from "../../src/synth/generate.ts"
import { writeSynthetic } from "../../src/synth/write.ts"
import { withTempDir } from "../io/paths.ts"
import { runWith } from "../runtime/helpers.ts"

describe("graphs.stage1, stage2 and render", () => {
  it("trains on a tiny synthetic dataset: typechecks, loss falls, everything finite", () =>
    withTempDir(async (dir) => {
      const body = openBody()
      await Effect.runPromise(writeSynthetic(dir, synthesize(body, { ...DEFAULT_OPTIONS, frames: 2, size: 48, testFrames: 1, novelPoseFrames: 1, textureSize: 128 })))
      const dataset = await Effect.runPromise(readGaussianAvatar(join(dir, "train")))
      const first = await Effect.runPromise(dataset.sample(0))
      const betas = Float64Array.from(first.tensors["betas"]?.data ?? [])
      const setup = avatarSetup(body, betas, 32, 32)
      const config = {
        dims: setup.dims,
        sizes: { querySize: 32, featureSize: 32, channels: 8, hidden: 16 },
        camera: renderCamera(first.tensors["intrinsic"]?.data ?? [], 48, 48),
        losses: stage1Losses,
        rates: stage1Rates(0)
      }
      const graph = stage1(config)
      assert.ok(Either.isRight(Effect.runSync(Effect.either(typecheck(graph)))))
      assert.ok(Option.isSome(dataset.perFrame("pose")))
      const result = await runWith("wasm", run(graph, dataset, { epochs: 8, constants: setup.constants }))
      assert.ok(Either.isRight(result), String(Either.isLeft(result) && result.left.message))
      const h = result.right.history.map((s) => s.total)
      assert.ok(h.every(Number.isFinite))
      assert.ok((h.at(-1) as number) < (h[0] as number), `loss ${h[0]} -> ${h.at(-1)}`)
      assert.ok(Array.from(result.right.frameParams["pose"]?.data ?? []).every(Number.isFinite))

      // graphs.stage2 starts from stage 1 (initFrom): the pose encoder learns, the frozen parts stay put.
      const second = await runWith("wasm", run(stage2(config), dataset, { epochs: 2, constants: setup.constants, initFrom: result.right }))
      assert.ok(Either.isRight(second), String(Either.isLeft(second) && second.left.message))
      assert.ok(second.right.history.every((s) => Number.isFinite(s.total)))
      assert.deepEqual(second.right.params["features.tensor"]?.data, result.right.params["features.tensor"]?.data)
      assert.deepEqual(second.right.frameParams["pose"]?.data, result.right.frameParams["pose"]?.data)
      assert.notDeepEqual(second.right.params["decoder.color.out.w"]?.data, result.right.params["decoder.color.out.w"]?.data)

      // graphs.render (here of stage 2) takes each split's own poses as inputs: novel views and poses score finitely.
      const renderGraph = renderOf(stage2(config))
      assert.deepEqual(Object.values(renderGraph.params as Record<string, ParamSpec>).filter((p) => p.perFrame), [])
      for (const split of ["test", "novel_pose"]) {
        const data = await Effect.runPromise(readGaussianAvatar(join(dir, split)))
        const evaluation: Either.Either<Evaluation, unknown> = await runWith("wasm", evaluateSplit(renderGraph, second.right, data, join(dir, "eval", split)))
        assert.ok(Either.isRight(evaluation), String(Either.isLeft(evaluation) && evaluation.left))
        assert.equal(evaluation.right.frames.length, data.size)
        assert.ok(evaluation.right.mean.psnr > 5 && evaluation.right.mean.psnr < 60, `psnr ${evaluation.right.mean.psnr}`)
        assert.ok(evaluation.right.mean.ssim > 0 && evaluation.right.mean.ssim <= 1)
        assert.ok(existsSync(join(dir, "eval", split, "metrics.json")) && existsSync(join(dir, "eval", split, "frames", "00000.png")))
      }
    }))
})
