import * as fc from "fast-check"
import { conv2d } from "../../src/ops/conv2d/conv2d.ts"
import { arbF64, checkOp } from "../../src/testing/harness.ts"
import { arbConvAttrs } from "./convCases.ts"

const cases = arbConvAttrs({ min: 2, max: 6 }, 5)
  .filter((a) => a.padding === "same" || a.kernel <= Math.min(a.height, a.width))
  .chain((attrs) =>
    fc.record({
      inputs: fc.record({ x: arbF64([attrs.height, attrs.width, attrs.inChannels]), filter: arbF64([attrs.kernel, attrs.kernel, attrs.inChannels, attrs.outChannels]) }),
      attrs: fc.constant(attrs)
    })
  )

checkOp(conv2d, { arbitrary: cases, tolerance: "conv" })
