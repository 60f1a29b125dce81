/**
 * The pose prior of stage 1 (losses.posePrior: weight x mean (pose - fit)^2): present only when
 * weighted, dropped by graphs.render and by stage 2 (whose poses are frozen), and it holds the
 * refined poses near the fit: with a heavy prior they move far less from the fit than without.
 */
import { Effect, Either, Option } from "effect"
import assert from "node:assert/strict"
import { join } from "node:path"
import { describe, it } from "node:test"
import { avatarSetup } from "../../src/graphs/avatar/setup.ts"
import { openBody } from "../../src/body/openBody.ts"
import { readGaussianAvatar } from "../../src/data/gaussian-avatar.ts"
import type { ParamSpec } from "../../src/dsl/graph.ts"
import { typecheck } from "../../src/dsl/typecheck.ts"
import type { Stage1Config } from "../../src/graphs/avatar/config.ts"
import { renderCamera, stage1Losses, stage1Rates } from "../../src/graphs/avatar/config.ts"
import { renderOf } from "../../src/graphs/avatar/render.ts"
import { stage1 } from "../../src/graphs/avatar/stage1.ts"
import { stage2 } from "../../src/graphs/avatar/stage2.ts"
import { run } from "../../src/runtime/run.ts"
import { DEFAULT_OPTIONS, synthesize } from "../../src/synth/generate.ts"
import { writeSynthetic } from "../../src/synth/write.ts"
import { withTempDir } from "../io/paths.ts"
import { runWith } from "../runtime/helpers.ts"

const typechecks = (graph: Parameters<typeof typecheck>[0]): boolean => Either.isRight(Effect.runSync(Effect.either(typecheck(graph))))

/** Mean |pose - fit| over every number of every frame. */
const meanDeparture = (pose: ArrayLike<number>, fit: ArrayLike<number>): number => {
  let sum = 0
  for (let i = 0; i < fit.length; i++) sum += Math.abs((pose[i] as number) - (fit[i] as number))
  return sum / fit.length
}

describe("stage 1's pose prior", () =>
  it("is in the graph only when weighted, leaves render and stage 2, and holds the poses near the fit", () =>
    withTempDir(async (dir) => {
      const body = openBody()
      const options = { ...DEFAULT_OPTIONS, frames: 2, size: 48, testFrames: 1, novelPoseFrames: 1, textureSize: 128, noise: { degrees: 5, centimetres: 2 } }
      await Effect.runPromise(writeSynthetic(dir, synthesize(body, options)))
      const dataset = await Effect.runPromise(readGaussianAvatar(join(dir, "train")))
      const first = await Effect.runPromise(dataset.sample(0))
      const setup = avatarSetup(body, Float64Array.from(first.tensors["betas"]?.data ?? []), 32, 32)
      const configWith = (posePrior: number): Stage1Config => ({
        dims: setup.dims,
        sizes: { querySize: 32, featureSize: 32, channels: 8, hidden: 16 },
        camera: renderCamera(first.tensors["intrinsic"]?.data ?? [], 48, 48),
        losses: { ...stage1Losses, posePrior },
        rates: stage1Rates(0)
      })
      const withPrior = stage1(configWith(1e4))
      const without = stage1(configWith(0))
      assert.ok("posePrior" in withPrior.losses && "poseFit" in withPrior.params && typechecks(withPrior))
      assert.ok(!("posePrior" in without.losses) && !("poseFit" in without.params))
      const rendered = renderOf(withPrior)
      assert.ok(typechecks(rendered) && !("poseFit" in rendered.params) && !("posePrior" in rendered.losses))
      assert.deepEqual(Object.values(rendered.params as Record<string, ParamSpec>).filter((p) => p.perFrame), [])
      assert.ok(!("posePrior" in stage2(configWith(1e4)).losses))

      const fit = Option.getOrThrow(dataset.perFrame("pose")).data
      const departure = async (graph: typeof withPrior) => {
        const result = await runWith("wasm", run(graph, dataset, { epochs: 6, constants: setup.constants }))
        assert.ok(Either.isRight(result), String(Either.isLeft(result) && result.left.message))
        return meanDeparture(result.right.frameParams["pose"]?.data ?? [], fit)
      }
      const held = await departure(withPrior)
      const free = await departure(without)
      assert.ok(free > 0 && held < free / 4, `mean |pose - fit| ${held} with a heavy prior vs ${free} without`)
    })))
