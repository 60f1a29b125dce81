import * as fc from "fast-check"
import { conv2d } from "../../src/ops/conv2d/conv2d.ts"
import { arbF64, checkOp } from "../../src/testing/harness.ts"

const cases = fc
  .record({
    height: fc.integer({ min: 2, max: 6 }),
    width: fc.integer({ min: 2, max: 6 }),
    inChannels: fc.integer({ min: 1, max: 3 }),
    outChannels: fc.integer({ min: 1, max: 3 }),
    kernel: fc.integer({ min: 1, max: 5 }),
    stride: fc.integer({ min: 1, max: 2 }),
    padding: fc.constantFrom("same" as const, "valid" as const)
  })
  .filter((a) => a.padding === "same" || a.kernel <= Math.min(a.height, a.width))
  .chain((attrs) =>
    fc.record({
      inputs: fc.record({ x: arbF64([attrs.height, attrs.width, attrs.inChannels]), filter: arbF64([attrs.kernel, attrs.kernel, attrs.inChannels, attrs.outChannels]) }),
      attrs: fc.constant(attrs)
    })
  )

checkOp(conv2d, { arbitrary: cases, tolerance: "conv" })
