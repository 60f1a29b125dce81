import * as fc from "fast-check"
import { batchNorm } from "../../src/ops/batchNorm/batchNorm.ts"
import { arbDim } from "../../src/testing/arbitraries.ts"
import { arbF64, checkOp } from "../../src/testing/harness.ts"

// At least 3 positions per channel so the batch variance is not near 0 (where 1/sqrt(v + eps) is steep).
const cases = (mode: "train" | "eval") =>
  fc.tuple(fc.array(arbDim(1, 3), { minLength: 1, maxLength: 2 }).filter((lead) => lead.reduce((a, b) => a * b, 1) >= 3), arbDim(1, 3)).chain(([lead, c]) =>
    fc.record({
      inputs: fc.record({
        x: arbF64([...lead, c], { min: -2, max: 2 }),
        runningMean: arbF64([c]),
        runningVar: arbF64([c], { min: 0.2, max: 2 }),
        scale: arbF64([c], { min: 0.5, max: 2 }),
        shift: arbF64([c])
      }),
      attrs: fc.constant({ eps: 1e-5 }),
      mode: fc.constant(mode)
    })
  ).filter((c) => {
    // keep every channel's batch variance away from 0
    const channels = c.inputs.runningMean.data.length
    const n = c.inputs.x.data.length / channels
    return Array.from({ length: channels }, (_, k) => {
      const values = Array.from({ length: n }, (_, i) => c.inputs.x.data[i * channels + k] as number)
      const mean = values.reduce((a, b) => a + b, 0) / n
      return values.reduce((a, b) => a + (b - mean) ** 2, 0) / n
    }).every((variance) => variance > 0.05)
  })

checkOp(batchNorm, { arbitrary: cases("train"), tolerance: "batchNorm" })
checkOp(batchNorm, { arbitrary: cases("eval"), tolerance: "batchNorm" })
