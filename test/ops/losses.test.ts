import * as fc from "fast-check"
import { l1 } from "../../src/ops/l1/l1.ts"
import { mse } from "../../src/ops/mse/mse.ts"
import { psnr } from "../../src/ops/psnr/psnr.ts"
import { arbDim } from "../../src/testing/arbitraries.ts"
import { arbF64, checkOp } from "../../src/testing/harness.ts"
import { arbImagesOnBackground } from "./imagePairs.ts"

const pairs = fc.tuple(arbDim(1, 4), arbDim(1, 4)).chain(([a, b]) =>
  fc.record({ inputs: fc.record({ prediction: arbF64([a, b]), target: arbF64([a, b]) }), attrs: fc.constant({}) })
)

// l1 is not differentiable where prediction = target: keep the difference away from 0.
const separated = fc.tuple(arbDim(1, 4), arbDim(1, 4)).chain(([a, b]) =>
  fc.record({
    inputs: fc.record({ prediction: arbF64([a, b]), target: arbF64([a, b]) }).map(({ prediction, target }) => ({
      prediction,
      target: { shape: target.shape, data: target.data.map((t, i) => (Math.abs(t - (prediction.data[i] as number)) < 0.05 ? t + 0.1 : t)) }
    })),
    attrs: fc.constant({})
  })
)

checkOp(mse, { arbitrary: pairs })
checkOp(l1, { arbitrary: separated })

// Images on a plain background: the host kernel works only inside the box where they differ.
// Values that differ are kept 0.05 apart (l1's kink); equal ones (the background) stay equal.
const apart = (p: number, t: number): number => (t !== p && Math.abs(t - p) < 0.05 ? p + (p < 0.5 ? 0.1 : -0.1) : t)
checkOp(l1, {
  arbitrary: arbImagesOnBackground.map(({ prediction, target }) => ({ inputs: { prediction, target: { shape: target.shape, data: target.data.map((t, i) => apart(prediction.data[i] as number, t)) } }, attrs: {} })),
  numRuns: { cpu: 10, wasm: 10, webgpu: 3 }
})

// psnr: predictions kept apart from targets so the mean squared error stays away from 0.
checkOp(psnr, {
  arbitrary: separated.map((c) => ({ ...c, attrs: { peak: 1 } })),
  tolerance: "psnr"
})
