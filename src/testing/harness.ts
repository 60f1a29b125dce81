/**
 * checkOp(def, options): registers node:test tests that check an op on every
 * backend present (cpu and wasm always, webgpu when an adapter exists; a
 * missing adapter is reported as a skip with its reason, or a failure when
 * GAVATAR_REQUIRE_WEBGPU=1). Each test is a fast-check property over the
 * op's arbitrary cases.
 */
import * as fc from "fast-check"
import { describe, it } from "node:test"
import type { AnyOpSpec, AttrsOf } from "../dsl/op.ts"
import type { OpDef } from "../ops/contract.ts"
import { prepareOp } from "../ops/apply.ts"
import type { BackendName } from "../runtime/backend.ts"
import { isRequired, testBackends, useBackend } from "./backends.ts"
import type { OpCase } from "./opChecks.ts"
import { checkFinite, checkForward, checkVjp, roundCase } from "./opChecks.ts"
import type { ToleranceBackend, ToleranceKey } from "./tolerances.ts"
import { tolerances } from "./tolerances.ts"
import type { ReferenceOf, TestedOp } from "./references.ts"
import { referenceOf } from "./references.ts"

export { arbF64 } from "./arbitraries.ts"
export { f64 } from "./f64.ts"
export type { OpCase } from "./opChecks.ts"

export interface CheckOptions<S extends AnyOpSpec> {
  readonly arbitrary: fc.Arbitrary<OpCase<S>>
  /** The Float64 reference; default the op's entry in src/testing/references.ts. */
  readonly reference?: ReferenceOf<S>
  /** Row of src/testing/tolerances.ts; default "default". */
  readonly tolerance?: ToleranceKey
  /** Attributes used for the gradient checks, e.g. a smooth test-only mode of a discontinuous op. */
  readonly gradientAttrs?: (attrs: AttrsOf<S>) => AttrsOf<S>
  readonly numRuns?: Partial<Record<ToleranceBackend, number>>
  readonly backends?: ReadonlyArray<BackendName>
}

const defaultRuns: Record<ToleranceBackend, number> = { cpu: 25, wasm: 25, webgpu: 6 }

type Check<S extends AnyOpSpec> = (def: TestedOp<S>, c: OpCase<S>, seed: number, backend: ToleranceBackend) => Promise<string | undefined>

const property = async <S extends AnyOpSpec>(options: CheckOptions<S>, def: TestedOp<S>, backend: ToleranceBackend, check: Check<S>): Promise<void> => {
  await fc.assert(
    fc.asyncProperty(options.arbitrary, fc.integer(), async (raw, seed) => {
      const problem = await check(def, roundCase(raw), seed, backend)
      if (problem) throw new Error(problem)
    }),
    { numRuns: options.numRuns?.[backend] ?? defaultRuns[backend] }
  )
}

export const checkOp = <S extends AnyOpSpec>(op: OpDef<S>, options: CheckOptions<S>): void => {
  const reference = options.reference ?? referenceOf(op)
  const table = tolerances[options.tolerance ?? "default"]
  const forGradients = (c: OpCase<S>): OpCase<S> => (options.gradientAttrs ? { ...c, attrs: options.gradientAttrs(c.attrs) } : c)
  const checks: ReadonlyArray<readonly [string, Check<S>]> = [
    ["forward matches the Float64 reference", (def, c, _seed, b) => checkForward(def, c, table[b])],
    ["VJP matches central differences of the reference", (def, c, seed, b) => checkVjp(def, forGradients(c), table[b], seed)],
    ["outputs and gradients are finite", (def, c, seed) => checkFinite(def, forGradients(c), seed)]
  ]
  describe(`op ${op.spec.name}`, () => {
    for (const backend of options.backends ?? testBackends) {
      for (const [label, check] of checks) {
        it(`${backend}: ${label}`, async (t) => {
          const ready = await useBackend(backend)
          if (!ready.ok) {
            if (isRequired(backend)) throw new Error(`backend ${backend} is required here: ${ready.reason}`)
            t.skip(`no ${backend}: ${ready.reason}`)
            return
          }
          await property(options, { ...prepareOp(op, ready.target), reference }, backend, check)
        })
      }
    }
  })
}
