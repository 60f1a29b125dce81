/**
 * Small mesh utilities for the generator: vertex neighbours (CSR), smoothing
 * with re-projection onto an implicit surface, face normals.
 */

export interface Neighbours {
  /** [V + 1] offsets into `list`. */
  readonly start: Int32Array
  readonly list: Int32Array
}

export const vertexNeighbours = (vertexCount: number, faces: Uint32Array): Neighbours => {
  const sets: Array<Set<number>> = Array.from({ length: vertexCount }, () => new Set<number>())
  for (let f = 0; f < faces.length; f += 3)
    for (let k = 0; k < 3; k++) {
      const a = faces[f + k]!
      const b = faces[f + ((k + 1) % 3)]!
      sets[a]!.add(b)
      sets[b]!.add(a)
    }
  const start = new Int32Array(vertexCount + 1)
  for (let v = 0; v < vertexCount; v++) start[v + 1] = start[v]! + sets[v]!.size
  const list = new Int32Array(start[vertexCount]!)
  sets.forEach((s, v) => list.set([...s].sort((x, y) => x - y), start[v]!))
  return { start, list }
}

/** Move a point onto the zero set of f by Newton steps along the numerical gradient. */
const projectOnto = (f: (x: number, y: number, z: number) => number, p: [number, number, number], steps: number): void => {
  const h = 1e-4
  for (let s = 0; s < steps; s++) {
    const [x, y, z] = p
    const v = f(x, y, z)
    const gx = (f(x + h, y, z) - v) / h
    const gy = (f(x, y + h, z) - v) / h
    const gz = (f(x, y, z + h) - v) / h
    const g2 = gx * gx + gy * gy + gz * gz
    if (g2 < 1e-12) return
    p[0] = x - (v * gx) / g2
    p[1] = y - (v * gy) / g2
    p[2] = z - (v * gz) / g2
  }
}

/** Laplacian relaxation (each vertex halfway to its neighbours' mean), each round re-projected onto f = 0 by one Newton step, and two at the end. */
export const relaxOntoSurface = (
  positions: Float64Array,
  neighbours: Neighbours,
  f: (x: number, y: number, z: number) => number,
  rounds: number
): Float64Array => {
  let current = positions.slice()
  const V = positions.length / 3
  for (let r = 0; r < rounds; r++) {
    const next = new Float64Array(current.length)
    for (let v = 0; v < V; v++) {
      const p: [number, number, number] = [0, 0, 0]
      const from = neighbours.start[v]!
      const to = neighbours.start[v + 1]!
      for (let n = from; n < to; n++) for (let k = 0; k < 3; k++) p[k]! += current[3 * neighbours.list[n]! + k]! / (to - from)
      for (let k = 0; k < 3; k++) p[k] = 0.5 * p[k]! + 0.5 * current[3 * v + k]!
      projectOnto(f, p, r + 1 === rounds ? 2 : 1)
      next.set(p, 3 * v)
    }
    current = next
  }
  return current
}

/** [F, 3] unit normals of the faces. */
export const faceNormals = (positions: Float64Array, faces: Uint32Array): Float64Array => {
  const normals = new Float64Array(faces.length)
  for (let f = 0; f < faces.length; f += 3) {
    const a = 3 * faces[f]!
    const b = 3 * faces[f + 1]!
    const c = 3 * faces[f + 2]!
    const e1 = [positions[b]! - positions[a]!, positions[b + 1]! - positions[a + 1]!, positions[b + 2]! - positions[a + 2]!]
    const e2 = [positions[c]! - positions[a]!, positions[c + 1]! - positions[a + 1]!, positions[c + 2]! - positions[a + 2]!]
    const n = [e1[1]! * e2[2]! - e1[2]! * e2[1]!, e1[2]! * e2[0]! - e1[0]! * e2[2]!, e1[0]! * e2[1]! - e1[1]! * e2[0]!]
    const len = Math.hypot(n[0]!, n[1]!, n[2]!) || 1
    normals.set([n[0]! / len, n[1]! / len, n[2]! / len], f)
  }
  return normals
}

/** Diffuse per-vertex rows (e.g. one-hot skinning weights) over the mesh: each round, the mean over the vertex and its neighbours. */
export const diffuseRows = (rows: Float64Array, width: number, neighbours: Neighbours, rounds: number): Float64Array => {
  let current = rows.slice()
  let next = new Float64Array(rows.length)
  const V = rows.length / width
  for (let r = 0; r < rounds; r++) {
    for (let v = 0; v < V; v++) {
      const from = neighbours.start[v]!
      const to = neighbours.start[v + 1]!
      const share = 1 / (to - from + 1)
      const at = v * width
      for (let c = 0; c < width; c++) next[at + c] = share * current[at + c]!
      for (let n = from; n < to; n++) {
        const other = neighbours.list[n]! * width
        for (let c = 0; c < width; c++) next[at + c]! += share * current[other + c]!
      }
    }
    ;[current, next] = [next, current]
  }
  return current
}
