import * as fc from "fast-check"
import { l1 } from "../../src/ops/l1/l1.ts"
import { mse } from "../../src/ops/mse/mse.ts"
import { psnr } from "../../src/ops/psnr/psnr.ts"
import { arbDim } from "../../src/testing/arbitraries.ts"
import { arbF64, checkOp } from "../../src/testing/harness.ts"

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

// psnr: predictions kept apart from targets so the mean squared error stays away from 0.
checkOp(psnr, {
  arbitrary: separated.map((c) => ({ ...c, attrs: { peak: 1 } })),
  tolerance: "psnr"
})
