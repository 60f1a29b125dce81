import * as fc from "fast-check"
import { denseBlock } from "../../src/ops/denseBlock/denseBlock.ts"
import { denseBlockReference } from "../../src/ops/denseBlock/denseBlock.ref.ts"
import type { OpCase } from "../../src/testing/harness.ts"
import { arbDim } from "../../src/testing/arbitraries.ts"
import { arbF64, checkOp } from "../../src/testing/harness.ts"

type Case = OpCase<typeof denseBlock.spec>

/** Every channel's batch variance of softplus(x · weight + bias) above 0.05 (1 / sqrt(v + eps) is steep near 0). */
const spreadEnough = (c: Case): boolean => {
  const batchVar = denseBlockReference.forward(c.inputs, c.attrs, { mode: "train", epoch: 0, iteration: 0 }).batchVar
  const n = c.inputs.x.shape[0] as number
  return Array.from(batchVar.data).every((v) => (v * (n - 1)) / n > 0.05)
}

// At least 3 rows so the batch statistics are not degenerate.
const cases = (mode: "train" | "eval") =>
  fc.tuple(arbDim(3, 6), arbDim(1, 3), arbDim(1, 3)).chain(([n, i, o]) =>
    fc.record({
      inputs: fc.record({
        x: arbF64([n, i], { min: -2, max: 2 }),
        weight: arbF64([i, o], { min: -1.5, max: 1.5 }),
        bias: arbF64([o], { min: -0.5, max: 0.5 }),
        runningMean: arbF64([o]),
        runningVar: arbF64([o], { min: 0.2, max: 2 }),
        scale: arbF64([o], { min: 0.5, max: 2 }),
        shift: arbF64([o])
      }),
      attrs: fc.constant({ eps: 1e-5 }),
      mode: fc.constant(mode)
    })
  ).filter(spreadEnough)

checkOp(denseBlock, { arbitrary: cases("train"), tolerance: "denseBlock" })
checkOp(denseBlock, { arbitrary: cases("eval"), tolerance: "denseBlock" })
