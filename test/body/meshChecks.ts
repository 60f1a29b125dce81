/** Mesh checks shared by the body tests. */
import type { BodyModel } from "../../src/body/model.ts"

/** Directed edge "a,b" -> how many faces use it. */
export const edgeCounts = (faces: Uint32Array): Map<string, number> => {
  const counts = new Map<string, number>()
  for (let f = 0; f < faces.length; f += 3)
    for (let k = 0; k < 3; k++) {
      const key = `${faces[f + k]},${faces[f + ((k + 1) % 3)]}`
      counts.set(key, (counts.get(key) ?? 0) + 1)
    }
  return counts
}

export const vertexComponents = (vertexCount: number, faces: Uint32Array): number => {
  const parent = Int32Array.from({ length: vertexCount }, (_, i) => i)
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]!]!
    return x
  }
  for (let f = 0; f < faces.length; f += 3) {
    const a = find(faces[f]!)
    parent[find(faces[f + 1]!)] = a
    parent[find(faces[f + 2]!)] = a
  }
  let roots = 0
  for (let v = 0; v < vertexCount; v++) if (find(v) === v) roots++
  return roots
}

/** Parity of crossings of a ray from p (Moller-Trumbore) with the closed mesh. */
export const isInside = (positions: Float64Array, faces: Uint32Array, p: readonly [number, number, number]): boolean => {
  const d = [0.5773, 0.5774, 0.5775]
  let crossings = 0
  for (let f = 0; f < faces.length; f += 3) {
    const a = 3 * faces[f]!, b = 3 * faces[f + 1]!, c = 3 * faces[f + 2]!
    const e1 = [0, 1, 2].map((k) => positions[b + k]! - positions[a + k]!)
    const e2 = [0, 1, 2].map((k) => positions[c + k]! - positions[a + k]!)
    const h = [d[1]! * e2[2]! - d[2]! * e2[1]!, d[2]! * e2[0]! - d[0]! * e2[2]!, d[0]! * e2[1]! - d[1]! * e2[0]!]
    const det = e1[0]! * h[0]! + e1[1]! * h[1]! + e1[2]! * h[2]!
    if (Math.abs(det) < 1e-15) continue
    const s = [0, 1, 2].map((k) => p[k]! - positions[a + k]!)
    const u = (s[0]! * h[0]! + s[1]! * h[1]! + s[2]! * h[2]!) / det
    if (u < 0 || u > 1) continue
    const q = [s[1]! * e1[2]! - s[2]! * e1[1]!, s[2]! * e1[0]! - s[0]! * e1[2]!, s[0]! * e1[1]! - s[1]! * e1[0]!]
    const w = (d[0]! * q[0]! + d[1]! * q[1]! + d[2]! * q[2]!) / det
    if (w < 0 || u + w > 1) continue
    if ((e2[0]! * q[0]! + e2[1]! * q[1]! + e2[2]! * q[2]!) / det > 0) crossings++
  }
  return crossings % 2 === 1
}

/** [J, 3] joints regressed from [V, 3] vertices. */
export const regress = (body: BodyModel, vertices: Float64Array): Float64Array => {
  const V = body.vertexCount
  const J = body.jRegressor.length / V
  const out = new Float64Array(J * 3)
  for (let j = 0; j < J; j++) for (let v = 0; v < V; v++) for (let c = 0; c < 3; c++) out[3 * j + c]! += body.jRegressor[j * V + v]! * vertices[3 * v + c]!
  return out
}
