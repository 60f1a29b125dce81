/**
 * Marching tetrahedra on a regular grid: a closed, consistently oriented
 * triangle mesh of the zero set of a distance function (negative inside).
 * Each cube is split into the 6 tetrahedra around its main diagonal, so
 * neighbouring cubes agree on every face diagonal and the mesh has no cracks.
 * A vertex sits on a grid edge and is shared through the edge's key (lower
 * grid point x 7 + edge kind). Triangles are oriented outwards using the
 * midpoints of their edges (never degenerate), not the interpolated vertices.
 */

export interface Grid {
  readonly min: readonly [number, number, number]
  readonly step: number
  readonly size: readonly [number, number, number]
}

export interface RawMesh {
  /** [V, 3] */
  readonly positions: Float64Array
  /** [F, 3], counter-clockwise seen from outside. */
  readonly faces: Uint32Array
}

type P3 = [number, number, number]

/** The 7 offsets between grid points joined by tetrahedron edges (all non-negative). */
const edgeOffsets: ReadonlyArray<P3> = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0], [1, 0, 1], [0, 1, 1], [1, 1, 1]]

const bits = (c: number): P3 => [c & 1, (c >> 1) & 1, (c >> 2) & 1]

/** Corner chains 0 -> a -> b -> 7 of the 6 tetrahedra (corner bits: x = 1, y = 2, z = 4). */
const tetrahedra: ReadonlyArray<readonly [number, number, number, number]> = [
  [0, 1, 3, 7], [0, 1, 5, 7], [0, 2, 3, 7], [0, 2, 6, 7], [0, 4, 5, 7], [0, 4, 6, 7]
]

const edgeCode = (ca: number, cb: number): number => {
  const a = bits(ca)
  const b = bits(cb)
  return edgeOffsets.findIndex((o) => o[0] === Math.abs(b[0] - a[0]) && o[1] === Math.abs(b[1] - a[1]) && o[2] === Math.abs(b[2] - a[2]))
}

/**
 * f on every grid point. f is a distance bound (1-Lipschitz, to a few per
 * cent), so f is first sampled on every other point; a point whose nearest
 * coarse sample is farther than FAR steps from the surface takes that sample's
 * value: no edge that touches it can change sign, so the mesh is unchanged.
 */
const FAR = 3.5 * Math.sqrt(3)

const sampleGrid = (grid: Grid, f: (x: number, y: number, z: number) => number): Float64Array => {
  const [nx, ny, nz] = grid.size
  const values = new Float64Array(nx * ny * nz)
  const at = (i: number, j: number, k: number) => f(grid.min[0] + i * grid.step, grid.min[1] + j * grid.step, grid.min[2] + k * grid.step)
  const coarse = (c: number, n: number) => Math.min(2 * Math.floor((n - 1) / 2), 2 * Math.round(c / 2))
  for (let k = 0; k < nz; k += 2) for (let j = 0; j < ny; j += 2) for (let i = 0; i < nx; i += 2) values[i + nx * (j + ny * k)] = at(i, j, k)
  const far = FAR * grid.step
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const index = i + nx * (j + ny * k)
        if (i % 2 === 0 && j % 2 === 0 && k % 2 === 0) continue
        const near = values[coarse(i, nx) + nx * (coarse(j, ny) + ny * coarse(k, nz))]!
        values[index] = Math.abs(near) > far ? near : at(i, j, k)
      }
  for (let n = 0; n < values.length; n++) if (values[n] === 0) values[n] = 1e-12
  return values
}

const cross = (a: P3, b: P3): P3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]
const minus = (a: P3, b: P3): P3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
const mid = (a: P3, b: P3): P3 => [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2, (a[2] + b[2]) / 2]

/** The zero set of `f` sampled on `grid`. */
export const polygoniseDistance = (grid: Grid, f: (x: number, y: number, z: number) => number): RawMesh => {
  const [nx, ny, nz] = grid.size
  const values = sampleGrid(grid, f)
  const point = (g: number): P3 => [
    grid.min[0] + (g % nx) * grid.step,
    grid.min[1] + (Math.floor(g / nx) % ny) * grid.step,
    grid.min[2] + Math.floor(g / (nx * ny)) * grid.step
  ]
  const edgeVertex = new Map<number, number>()
  const positions: number[] = []
  const faces: number[] = []
  const vertexOn = (ga: number, gb: number, code: number): number => {
    const key = Math.min(ga, gb) * 7 + code
    const known = edgeVertex.get(key)
    if (known !== undefined) return known
    const fa = values[ga]!
    const t = fa / (fa - values[gb]!)
    const pa = point(ga)
    const pb = point(gb)
    const id = positions.length / 3
    positions.push(pa[0] + t * (pb[0] - pa[0]), pa[1] + t * (pb[1] - pa[1]), pa[2] + t * (pb[2] - pa[2]))
    edgeVertex.set(key, id)
    return id
  }
  const corners: number[] = new Array<number>(8).fill(0)
  const cornerOffsets = Array.from({ length: 8 }, (_, c) => (c & 1) + nx * (((c >> 1) & 1) + ny * ((c >> 2) & 1)))
  /** One cut edge: the inside and outside grid points and the corner ids. */
  type Cut = { readonly vertex: number; readonly midpoint: P3 }
  const cut = (ci: number, co: number): Cut => {
    const gi = corners[ci]!
    const go = corners[co]!
    return { vertex: vertexOn(gi, go, edgeCode(ci, co)), midpoint: mid(point(gi), point(go)) }
  }
  const emit = (a: Cut, b: Cut, c: Cut, insidePoint: P3): void => {
    const n = cross(minus(b.midpoint, a.midpoint), minus(c.midpoint, a.midpoint))
    const away = minus(a.midpoint, insidePoint)
    if (n[0] * away[0] + n[1] * away[1] + n[2] * away[2] >= 0) faces.push(a.vertex, b.vertex, c.vertex)
    else faces.push(a.vertex, c.vertex, b.vertex)
  }
  for (let k = 0; k + 1 < nz; k++)
    for (let j = 0; j + 1 < ny; j++)
      for (let i = 0; i + 1 < nx; i++) {
        let inside = 0
        const base = i + nx * (j + ny * k)
        for (let c = 0; c < 8; c++) {
          corners[c] = base + cornerOffsets[c]!
          if (values[corners[c]!]! < 0) inside++
        }
        if (inside === 0 || inside === 8) continue
        for (const tet of tetrahedra) {
          const ins = tet.filter((c) => values[corners[c]!]! < 0)
          const outs = tet.filter((c) => values[corners[c]!]! >= 0)
          if (ins.length === 0 || outs.length === 0) continue
          const insidePoint = point(corners[ins[0]!]!)
          if (ins.length === 1) emit(cut(ins[0]!, outs[0]!), cut(ins[0]!, outs[1]!), cut(ins[0]!, outs[2]!), insidePoint)
          else if (outs.length === 1) emit(cut(ins[0]!, outs[0]!), cut(ins[1]!, outs[0]!), cut(ins[2]!, outs[0]!), insidePoint)
          else {
            const a = cut(ins[0]!, outs[0]!)
            const b = cut(ins[0]!, outs[1]!)
            const c = cut(ins[1]!, outs[1]!)
            const d = cut(ins[1]!, outs[0]!)
            emit(a, b, c, insidePoint)
            emit(a, c, d, insidePoint)
          }
        }
      }
  return { positions: Float64Array.from(positions), faces: Uint32Array.from(faces) }
}
