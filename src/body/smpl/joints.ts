/**
 * Keeping the first n joints of a body model (e.g. SMPL-X's 22 body joints out of
 * 55). Each dropped joint's skinning weight moves to its nearest kept ancestor, pose
 * correctives keep the kept joints' 9 (n - 1) columns and the regressor its first n
 * rows. With the dropped joints at rest this poses the body exactly as the full model.
 */
import { Effect } from "effect"
import { IoError } from "../../io/errors.ts"
import type { SmplFile } from "./types.ts"

export const keepFirstJoints = (model: SmplFile, n: number): Effect.Effect<SmplFile, IoError> => {
  const J = model.jointCount
  const V = model.vertexCount
  if (!(Number.isInteger(n) && n >= 1 && n <= J)) {
    return Effect.fail(new IoError({ file: model.file, reason: `cannot keep ${n} joints of a model with ${J}` }))
  }
  const keptAncestor = Int32Array.from({ length: J }, (_, j) => {
    let a = j
    while (a >= n) a = model.parents[a] as number
    return a
  })
  const weights = new Float64Array(V * n)
  for (let v = 0; v < V; v++) {
    for (let j = 0; j < J; j++) weights[v * n + (keptAncestor[j] as number)]! += model.weights[v * J + j] as number
  }
  const P = 9 * (J - 1)
  const keptP = 9 * (n - 1)
  const poseDirs = new Float64Array(V * 3 * keptP)
  for (let r = 0; r < V * 3; r++) poseDirs.set(model.poseDirs.subarray(r * P, r * P + keptP), r * keptP)
  return Effect.succeed({
    ...model,
    jointCount: n,
    weights,
    poseDirs,
    jRegressor: model.jRegressor.slice(0, n * V),
    parents: model.parents.slice(0, n)
  })
}
