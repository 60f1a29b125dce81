/** Random conv attributes shared by the conv tests: small images, 1-3 channels, kernels 1-5, strides 1-2. */
import * as fc from "fast-check"
import type { Conv2dAttrs } from "../../src/ops/conv2d/spec.ts"

export const arbConvAttrs = (size: { readonly min: number; readonly max: number }, maxKernel: number): fc.Arbitrary<Conv2dAttrs> =>
  fc.record({
    height: fc.integer(size),
    width: fc.integer(size),
    inChannels: fc.integer({ min: 1, max: 3 }),
    outChannels: fc.integer({ min: 1, max: 3 }),
    kernel: fc.integer({ min: 1, max: maxKernel }),
    stride: fc.integer({ min: 1, max: 2 }),
    padding: fc.constantFrom("same" as const, "valid" as const)
  })
