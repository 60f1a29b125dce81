/**
 * LPIPS in the avatar training graphs: without weights there is no LPIPS node or loss and the loader
 * says "LPIPS off" once; with small random AlexNet-shaped weights written as torch files and read by
 * the loader, stage 1 and stage 2 have the term (0.2 from epoch 30) and a training step's loss is
 * finite and larger, by the LPIPS term, than without it.
 */
import { Effect, Either } from "effect"
import assert from "node:assert/strict"
import { rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { after, before, describe, it } from "node:test"
import { loadLpips, lpipsFiles, lpipsOffMessage } from "../../src/avatar/lpips.ts"
import type { AnyGraph, LossTerm } from "../../src/dsl/graph.ts"
import { typecheck } from "../../src/dsl/typecheck.ts"
import { lpipsLoss } from "../../src/graphs/avatar/config.ts"
import { stage1 } from "../../src/graphs/avatar/stage1.ts"
import { stage2 } from "../../src/graphs/avatar/stage2.ts"
import { noPoseEncoder } from "../../src/graphs/avatar/variants/index.ts"
import { renderOf } from "../../src/graphs/avatar/render.ts"
import { evaluateSplit } from "../../src/avatar/evaluate.ts"
import { readGaussianAvatar } from "../../src/data/gaussian-avatar.ts"
import { alexnetLayers } from "../../src/lpips/alexnet.ts"
import type { LpipsWeights } from "../../src/lpips/alexnet.ts"
import { createRng } from "../../src/math/rng.ts"
import { run } from "../../src/runtime/run.ts"
import { torchZip } from "../io/torch-writer.ts"
import { runWith, tempDir } from "../runtime/helpers.ts"
import type { TinyAvatar } from "./tinyAvatar.ts"
import { tinyAvatar } from "./tinyAvatar.ts"

/** Small AlexNet-shaped networks: the real widths are 64, 192, 384, 256, 256. */
const widths = [4, 6, 8, 6, 5]

/** Random weights in the files' PyTorch layouts: conv [Cout, Cin, K, K] and bias, heads [1, C, 1, 1] (non-negative). */
const writeWeightFiles = (dir: string): { alexnet: string; linear: string; both: string } => {
  const rng = createRng(3)
  const random = (n: number, scale: number) => Float32Array.from({ length: n }, () => (rng.uniform() * 2 - 1) * scale)
  const alexnet: Record<string, { shape: number[]; data: Float32Array }> = {}
  alexnetLayers.forEach((layer, i) => {
    const inC = i === 0 ? 3 : (widths[i - 1] as number)
    const co = widths[i] as number
    const fan = inC * layer.kernel * layer.kernel
    alexnet[`${layer.key}.weight`] = { shape: [co, inC, layer.kernel, layer.kernel], data: random(co * fan, 1.5 / Math.sqrt(fan)) }
    alexnet[`${layer.key}.bias`] = { shape: [co], data: random(co, 0.1) }
  })
  const linear = Object.fromEntries(widths.map((c, i) => [`lin${i}.model.1.weight`, { shape: [1, c, 1, 1], data: random(c, 1).map(Math.abs) }]))
  const files = { alexnet: join(dir, "alexnet.pth"), linear: join(dir, "lpips-alex.pth"), both: join(dir, "lpips-both.pth") }
  writeFileSync(files.alexnet, torchZip(alexnet))
  writeFileSync(files.linear, torchZip(linear))
  writeFileSync(files.both, torchZip({ ...alexnet, ...linear }))
  return files
}

const dir = tempDir("lpips-graphs")
let tiny: TinyAvatar
before(async () => {
  tiny = await tinyAvatar(dir)
})
after(() => rmSync(dir, { recursive: true, force: true }))

const assertTypechecks = (g: AnyGraph) => {
  const checked = Effect.runSync(Effect.either(typecheck(g)))
  assert.ok(Either.isRight(checked), String(Either.isLeft(checked) && checked.left.message))
}

const firstLoss = async (g: AnyGraph): Promise<number> => {
  const result = await runWith("wasm", run(g, tiny.dataset, { epochs: 1, maxSteps: 1, constants: tiny.setup.constants }))
  assert.ok(Either.isRight(result), String(Either.isLeft(result) && result.left.message))
  return result.right.history[0]?.total as number
}

describe("LPIPS in the avatar graphs", () => {
  it("without weights: no LPIPS node or loss, and the loader says so once", async () => {
    const said: string[] = []
    assert.equal(await Effect.runPromise(loadLpips(undefined, (line) => said.push(line))), undefined)
    assert.deepEqual(said, [lpipsOffMessage])
    assert.equal(lpipsOffMessage, "LPIPS off: no weights given (--lpips FILE)")
    for (const g of [stage1(tiny.config), stage2(tiny.config), noPoseEncoder(tiny.config)] as AnyGraph[]) {
      assert.ok(!("lpips" in g.nodes) && !("lpips" in g.losses), g.name)
      assert.ok(Object.values(g.nodes).every((n) => n.op.name !== "lpips"), g.name)
    }
  })

  it("with the user's weights: stage 1 and 2 have the term, 0.2 from epoch 30, and train with a finite loss", async () => {
    const said: string[] = []
    const files = writeWeightFiles(dir)
    const weights = (await Effect.runPromise(loadLpips(lpipsFiles([files.alexnet, files.linear]), (line) => said.push(line)))) as LpipsWeights
    assert.equal(said.length, 1)
    assert.match(said[0] as string, /^LPIPS on: /)
    assert.deepEqual(weights.convs.map((c) => c.outChannels), widths)
    // --lpips FILE once: one file holding both networks' tensors
    const fromOne = (await Effect.runPromise(loadLpips(lpipsFiles([files.both]), () => undefined))) as LpipsWeights
    assert.deepEqual(fromOne.lins, weights.lins)
    assert.deepEqual(fromOne.convs[4]?.weight, weights.convs[4]?.weight)
    assert.equal(lpipsFiles([]), undefined)
    assert.throws(() => lpipsFiles(["a", "b", "c"]), /at most two files/)
    const config = { ...tiny.config, lpips: weights }
    for (const g of [stage1(config), stage2(config), noPoseEncoder(config)] as AnyGraph[]) {
      assertTypechecks(g)
      assert.equal(g.nodes["lpips"]?.op.name, "lpips", g.name)
      assert.deepEqual((g.losses as Record<string, LossTerm>)["lpips"], { value: { _tag: "Node", node: "lpips", output: "out" }, weight: lpipsLoss })
    }
    assert.deepEqual(lpipsLoss, { _tag: "FromEpoch", epoch: 30, value: 0.2, before: 0 })
    // At epoch 0 the term weighs 0; weighted 0.2 from the start, the first step's loss is larger by 0.2 x LPIPS.
    const active = { ...config, losses: { ...config.losses, lpips: 0.2 } }
    const [withTerm, without] = [await firstLoss(stage1(active)), await firstLoss(stage1(tiny.config))]
    assert.ok(Number.isFinite(withTerm) && withTerm > without, `loss ${withTerm} with LPIPS, ${without} without`)
    assert.ok(Number.isFinite(await firstLoss(stage2(active))))
  })

  it("evaluation scores LPIPS per frame and in the mean only with the weights", async () => {
    const weights = (await Effect.runPromise(loadLpips(lpipsFiles([writeWeightFiles(dir).both]), () => undefined))) as LpipsWeights
    const trained = await runWith("wasm", run(stage1(tiny.config), tiny.dataset, { epochs: 1, maxSteps: 1, constants: tiny.setup.constants }))
    assert.ok(Either.isRight(trained))
    const split = await Effect.runPromise(readGaussianAvatar(join(dir, "test")))
    const render = renderOf(stage1(tiny.config))
    const scored = await runWith("wasm", evaluateSplit(render, trained.right, split, join(dir, "eval-lpips"), weights))
    const plain = await runWith("wasm", evaluateSplit(render, trained.right, split, join(dir, "eval-plain")))
    assert.ok(Either.isRight(scored) && Either.isRight(plain))
    const lpipsMean = scored.right.mean.lpips as number
    assert.ok(Number.isFinite(lpipsMean) && lpipsMean > 0, `LPIPS ${lpipsMean}`)
    assert.ok(scored.right.frames.every((f) => Number.isFinite(f.lpips)))
    assert.equal(plain.right.mean.lpips, undefined)
    assert.ok(plain.right.frames.every((f) => f.lpips === undefined))
    assert.equal(scored.right.mean.psnr, plain.right.mean.psnr)
  })
})
