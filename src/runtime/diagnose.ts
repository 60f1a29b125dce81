/**
 * Where a non-finite value came from: the first node whose output is NaN or Inf (one sample
 * replayed without the tape), or the first param whose gradient is.
 */
import * as tf from "@tensorflow/tfjs"
import type { OpContext } from "../ops/contract.ts"
import { NonFinite } from "./errors.ts"
import type { Compiled, NodeValues } from "./execute.ts"
import { evaluateNodes } from "./execute.ts"
import type { FrameRow } from "./objective.ts"
import { readScalars } from "./objective.ts"
import type { ParamStore } from "./params.ts"

/** The first node whose output is not finite, evaluating one sample without the tape. */
export const locateNonFinite = async (compiled: Compiled, env: ReadonlyMap<string, tf.Tensor>, nodes: ReadonlyArray<string>, ctx: OpContext): Promise<string | undefined> => {
  const values: NodeValues = new Map()
  try {
    for (const name of nodes) {
      const outputs = tf.tidy(() => evaluateNodes(compiled, env, [name], ctx, values).get(name) as Record<string, tf.Tensor>)
      for (const [output, t] of Object.entries(outputs)) {
        const finite = (await tf.tidy(() => tf.all(tf.isFinite(t))).data())[0]
        if (!finite) return `node "${name}" output "${output}"`
      }
    }
    return undefined
  } finally {
    for (const outs of values.values()) tf.dispose(Object.values(outs))
  }
}

/** NonFinite naming the first param (dense, or a per-frame row) whose gradient has a NaN or Inf. */
export const checkGradsFinite = async (grads: tf.NamedTensorMap, store: ParamStore, rows: ReadonlyArray<FrameRow>, step: number): Promise<void> => {
  const names = Object.keys(grads)
  const sums = await readScalars(() => names.map((n) => tf.sum(grads[n] as tf.Tensor)))
  const bad = names.findIndex((_, i) => !Number.isFinite(sums[i] as number))
  if (bad < 0) return
  const variableName = names[bad] as string
  const dense = [...store.dense.values()].find((p) => p.variable.name === variableName)
  const row = rows.find((r) => r.variable.name === variableName)
  throw new NonFinite({ step, where: `gradient of param "${dense?.name ?? row?.param ?? variableName}"` })
}
