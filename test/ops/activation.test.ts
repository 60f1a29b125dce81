import * as fc from "fast-check"
import { activation } from "../../src/ops/activation/activation.ts"
import type { Activation } from "../../src/ops/activation/spec.ts"
import { arbDim } from "../../src/testing/arbitraries.ts"
import { arbF64, checkOp } from "../../src/testing/harness.ts"

const functions: fc.Arbitrary<Activation> = fc.oneof(
  fc.constant<Activation>({ _tag: "Tanh" }),
  fc.constant<Activation>({ _tag: "Sigmoid" }),
  fc.constant<Activation>({ _tag: "Softplus" }),
  fc.constant<Activation>({ _tag: "Relu" }),
  fc.double({ min: 0.01, max: 0.5, noNaN: true }).map((slope): Activation => ({ _tag: "LeakyRelu", slope }))
)

// Values stay 0.05 away from the kink at 0 of relu and leakyRelu.
const cases = fc.tuple(arbDim(1, 3), arbDim(1, 4), functions).chain(([a, b, fn]) =>
  fc.record({ inputs: fc.record({ x: arbF64([a, b], { min: -3, max: 3, awayFrom: [0] }) }), attrs: fc.constant({ fn }) })
)

checkOp(activation, { arbitrary: cases })

// Softplus is composed from relu, sigmoid and log: check its far tails and x = 0 too.
const softplusTails = fc.tuple(arbDim(1, 3), arbDim(1, 4)).chain(([a, b]) =>
  fc.record({ inputs: fc.record({ x: arbF64([a, b], { min: -40, max: 40 }) }), attrs: fc.constant({ fn: { _tag: "Softplus" } as Activation }) })
)

checkOp(activation, { arbitrary: softplusTails })
