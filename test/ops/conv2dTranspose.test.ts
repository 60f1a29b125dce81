import * as fc from "fast-check"
import { conv2dTranspose } from "../../src/ops/conv2dTranspose/conv2dTranspose.ts"
import { arbF64, checkOp } from "../../src/testing/harness.ts"

const cases = fc
  .record({
    height: fc.integer({ min: 1, max: 4 }),
    width: fc.integer({ min: 1, max: 4 }),
    inChannels: fc.integer({ min: 1, max: 3 }),
    outChannels: fc.integer({ min: 1, max: 3 }),
    kernel: fc.integer({ min: 1, max: 4 }),
    stride: fc.integer({ min: 1, max: 2 }),
    padding: fc.constantFrom("same" as const, "valid" as const)
  })
  .chain((attrs) =>
    fc.record({
      inputs: fc.record({ x: arbF64([attrs.height, attrs.width, attrs.inChannels]), filter: arbF64([attrs.kernel, attrs.kernel, attrs.outChannels, attrs.inChannels]) }),
      attrs: fc.constant(attrs)
    })
  )

checkOp(conv2dTranspose, { arbitrary: cases, tolerance: "conv" })
