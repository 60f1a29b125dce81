/**
 * LPIPS with small random AlexNet-shaped weights (the real ones are the user's files): the kernel against the
 * Float64 reference, gradients by central differences, and the weight loader's errors.
 */
import { Effect, Either } from "effect"
import * as fc from "fast-check"
import assert from "node:assert/strict"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, it } from "node:test"
import type { LpipsWeights } from "../../src/lpips/alexnet.ts"
import { alexnetLayers } from "../../src/lpips/alexnet.ts"
import { readLpipsWeights } from "../../src/lpips/weights.ts"
import { lpips } from "../../src/ops/lpips/lpips.ts"
import { createRng } from "../../src/math/rng.ts"
import { arbF64, checkOp } from "../../src/testing/harness.ts"
import { withTempDir } from "../io/paths.ts"
import { torchZip } from "../io/torch-writer.ts"

const widths = [4, 6, 8, 6, 5]

/**
 * PyTorch-layout tensors for a small AlexNet and LPIPS heads. Channel 0 of every layer is a positive
 * constant (zero weights, bias 0.5), so no pixel's feature vector is ever zero: LPIPS normalises
 * f / (|f| + 1e-10), which jumps from 0 to a unit vector where every channel of a pixel turns on
 * from off, a jump a central difference across it turns into a huge slope (seed -1623576306 of the
 * VJP check crossed one: kernel -0.024, difference of the reference -1.40). The other channels are
 * random; the constant channel adds nothing to the gradients.
 */
const files = (seed: number) => {
  const rng = createRng(seed)
  const random = (n: number, scale: number) => Float32Array.from({ length: n }, () => (rng.uniform() * 2 - 1) * scale)
  const alexnet: Record<string, { shape: number[]; data: Float32Array }> = {}
  let inChannels = 3
  alexnetLayers.forEach((layer, i) => {
    const co = widths[i] as number
    const fan = inChannels * layer.kernel * layer.kernel
    alexnet[`${layer.key}.weight`] = { shape: [co, inChannels, layer.kernel, layer.kernel], data: random(co * fan, 1.5 / Math.sqrt(fan)).fill(0, 0, fan) }
    alexnet[`${layer.key}.bias`] = { shape: [co], data: random(co, 0.1).fill(0.5, 0, 1) }
    inChannels = co
  })
  const lins = Object.fromEntries(widths.map((c, i) => [`lin${i}.model.1.weight`, { shape: [1, c, 1, 1], data: random(c, 1).map(Math.abs) }]))
  return { alexnet, lins }
}

const loadWeights = (dir: string, seed: number): Promise<LpipsWeights> => {
  const { alexnet, lins } = files(seed)
  writeFileSync(join(dir, "alexnet.pth"), torchZip(alexnet))
  writeFileSync(join(dir, "lpips-alex.pth"), torchZip(lins))
  return Effect.runPromise(readLpipsWeights(join(dir, "alexnet.pth"), join(dir, "lpips-alex.pth")))
}

let weights: LpipsWeights | undefined
await withTempDir(async (dir) => {
  weights = await loadWeights(dir, 5)
})

const cases = fc.record({ h: fc.integer({ min: 32, max: 36 }), w: fc.integer({ min: 32, max: 36 }) }).chain(({ h, w }) =>
  fc.record({ inputs: fc.record({ prediction: arbF64([h, w, 3], { min: 0, max: 1 }), target: arbF64([h, w, 3], { min: 0, max: 1 }) }), attrs: fc.constant({ weights: weights as LpipsWeights }) })
)

checkOp(lpips, { arbitrary: cases, tolerance: "lpips", numRuns: { cpu: 6, wasm: 6, webgpu: 2 } })

describe("LPIPS weight files", () => {
  it("a missing key or a wrong shape is an IoError naming the file and the key", () =>
    withTempDir(async (dir) => {
      const { alexnet, lins } = files(1)
      const { ["features.6.bias"]: _dropped, ...missing } = alexnet
      writeFileSync(join(dir, "alexnet.pth"), torchZip(missing))
      writeFileSync(join(dir, "lpips.pth"), torchZip(lins))
      const result = await Effect.runPromise(Effect.either(readLpipsWeights(join(dir, "alexnet.pth"), join(dir, "lpips.pth"))))
      assert.ok(Either.isLeft(result))
      assert.equal(result.left.file, join(dir, "alexnet.pth"))
      assert.equal(result.left.key, "features.6.bias")
      writeFileSync(join(dir, "alexnet.pth"), torchZip(alexnet))
      writeFileSync(join(dir, "lpips.pth"), torchZip({ ...lins, "lin2.model.1.weight": { shape: [1, 3, 1, 1], data: new Float32Array(3) } }))
      const wrong = await Effect.runPromise(Effect.either(readLpipsWeights(join(dir, "alexnet.pth"), join(dir, "lpips.pth"))))
      assert.ok(Either.isLeft(wrong))
      assert.equal(wrong.left.key, "lin2.model.1.weight")
      assert.match(wrong.left.reason, /expected \[1, 8, 1, 1\], got \[1, 3, 1, 1\]/)
    }))
})
