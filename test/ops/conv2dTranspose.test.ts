import * as fc from "fast-check"
import { conv2dTranspose } from "../../src/ops/conv2dTranspose/conv2dTranspose.ts"
import { arbF64, checkOp } from "../../src/testing/harness.ts"
import { arbConvAttrs } from "./convCases.ts"

const cases = arbConvAttrs({ min: 1, max: 4 }, 4)
  .chain((attrs) =>
    fc.record({
      inputs: fc.record({ x: arbF64([attrs.height, attrs.width, attrs.inChannels]), filter: arbF64([attrs.kernel, attrs.kernel, attrs.outChannels, attrs.inChannels]) }),
      attrs: fc.constant(attrs)
    })
  )

checkOp(conv2dTranspose, { arbitrary: cases, tolerance: "conv" })
