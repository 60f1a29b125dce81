/**
 * A z-buffered triangle rasteriser on the CPU, independent of the Gaussian
 * splatting renderer. Vertices come in screen space: x, y in pixels with pixel
 * (row i, column j) centred at (x = j, y = i) (OpenCV's convention), and z the
 * camera-space depth (> 0). A pixel is covered when its centre lies inside the
 * projected triangle; a centre exactly on an edge belongs to one side only, so
 * two triangles sharing an edge never both claim it.
 *
 * For each covered pixel the nearest triangle wins (depth test on z) and the
 * target keeps its face index and PERSPECTIVE-CORRECT barycentric weights:
 * with screen-space weights l_k, 1/z is affine in screen space, so
 *   z = 1 / sum_k(l_k / z_k),   b_k = (l_k / z_k) * z.
 * Triangles with a corner at z <= near are skipped (no clipping: the scenes
 * here keep the camera metres away from the mesh). Both orientations are drawn.
 * The inner loop allocates nothing.
 */

export interface RasterTarget {
  readonly width: number
  readonly height: number
  /** [H*W] camera depth of the nearest surface, +Infinity where empty. */
  readonly depth: Float64Array
  /** [H*W] face index, -1 where empty. */
  readonly face: Int32Array
  /** [H*W*3] perspective-correct barycentric weights of the face's corners. */
  readonly bary: Float64Array
}

export const NEAR = 1e-3

export const createTarget = (width: number, height: number): RasterTarget => {
  const target = { width, height, depth: new Float64Array(width * height), face: new Int32Array(width * height), bary: new Float64Array(width * height * 3) }
  clearTarget(target)
  return target
}

export const clearTarget = (target: RasterTarget): void => {
  target.depth.fill(Infinity)
  target.face.fill(-1)
  target.bary.fill(0)
}

/** Whether a centre exactly on edge (dx, dy) of a counter-clockwise (in y-down pixels: clockwise on screen) triangle is inside. */
const ownsEdge = (dx: number, dy: number): boolean => dy > 0 || (dy === 0 && dx < 0)

/**
 * Per-triangle scratch (no allocation per triangle or pixel): for edge k, opposite
 * corner k, [origin x, origin y, dx, dy, sign] with the edge taken from its
 * lower-numbered vertex, so that two triangles sharing an edge evaluate it with
 * the same rounding and exactly opposite signs: no pixel centre is claimed twice or missed.
 */
const EDGES = new Float64Array(15)

const setEdge = (k: number, screen: Float64Array, from: number, to: number): void => {
  const a = from < to ? from : to
  const b = from < to ? to : from
  const sign = from < to ? 1 : -1
  EDGES[5 * k] = screen[3 * a]!
  EDGES[5 * k + 1] = screen[3 * a + 1]!
  EDGES[5 * k + 2] = screen[3 * b]! - screen[3 * a]!
  EDGES[5 * k + 3] = screen[3 * b + 1]! - screen[3 * a + 1]!
  EDGES[5 * k + 4] = sign
}

/** Twice the signed area of (edge k, pixel centre (j, i)), positive inside. */
const edgeValue = (k: number, j: number, i: number): number =>
  EDGES[5 * k + 4]! * (EDGES[5 * k + 2]! * (i - EDGES[5 * k + 1]!) - EDGES[5 * k + 3]! * (j - EDGES[5 * k]!))

const ownsEdgeK = (k: number): boolean => ownsEdge(EDGES[5 * k + 4]! * EDGES[5 * k + 2]!, EDGES[5 * k + 4]! * EDGES[5 * k + 3]!)

/**
 * Draws faces [F, 3] of screen-space vertices [V, 3] (x, y, z) into target,
 * keeping the nearest surface per pixel.
 */
export const rasterize = (target: RasterTarget, screen: Float64Array, faces: Uint32Array): void => {
  const faceCount = faces.length / 3
  for (let f = 0; f < faceCount; f++) drawTriangle(target, screen, faces, f)
}

const drawTriangle = (target: RasterTarget, screen: Float64Array, faces: Uint32Array, f: number): void => {
  const i0 = faces[3 * f]!
  let i1 = faces[3 * f + 1]!
  let i2 = faces[3 * f + 2]!
  if (screen[3 * i0 + 2]! <= NEAR || screen[3 * i1 + 2]! <= NEAR || screen[3 * i2 + 2]! <= NEAR) return
  const signed = (screen[3 * i1]! - screen[3 * i0]!) * (screen[3 * i2 + 1]! - screen[3 * i0 + 1]!) - (screen[3 * i2]! - screen[3 * i0]!) * (screen[3 * i1 + 1]! - screen[3 * i0 + 1]!)
  if (!(signed !== 0 && Number.isFinite(signed))) return
  // Order the corners so that the signed area is positive; remember the permutation for the weights.
  const swapped = signed < 0
  if (swapped) {
    const t = i1
    i1 = i2
    i2 = t
  }
  const area = Math.abs(signed)
  const x0 = screen[3 * i0]!, y0 = screen[3 * i0 + 1]!
  const x1 = screen[3 * i1]!, y1 = screen[3 * i1 + 1]!
  const x2 = screen[3 * i2]!, y2 = screen[3 * i2 + 1]!
  const inv0 = 1 / screen[3 * i0 + 2]!, inv1 = 1 / screen[3 * i1 + 2]!, inv2 = 1 / screen[3 * i2 + 2]!
  setEdge(0, screen, i1, i2)
  setEdge(1, screen, i2, i0)
  setEdge(2, screen, i0, i1)
  const own0 = ownsEdgeK(0), own1 = ownsEdgeK(1), own2 = ownsEdgeK(2)
  const { width, height, depth, face, bary } = target
  const jMin = Math.max(0, Math.ceil(Math.min(x0, x1, x2)))
  const jMax = Math.min(width - 1, Math.floor(Math.max(x0, x1, x2)))
  const iMin = Math.max(0, Math.ceil(Math.min(y0, y1, y2)))
  const iMax = Math.min(height - 1, Math.floor(Math.max(y0, y1, y2)))
  for (let i = iMin; i <= iMax; i++) {
    for (let j = jMin; j <= jMax; j++) {
      const e0 = edgeValue(0, j, i)
      const e1 = edgeValue(1, j, i)
      const e2 = edgeValue(2, j, i)
      if (e0 < 0 || e1 < 0 || e2 < 0) continue
      if ((e0 === 0 && !own0) || (e1 === 0 && !own1) || (e2 === 0 && !own2)) continue
      const w0 = (e0 / area) * inv0
      const w1 = (e1 / area) * inv1
      const w2 = (e2 / area) * inv2
      const z = 1 / (w0 + w1 + w2)
      const p = i * width + j
      if (z >= depth[p]!) continue
      depth[p] = z
      face[p] = f
      bary[3 * p] = w0 * z
      bary[3 * p + 1] = (swapped ? w2 : w1) * z
      bary[3 * p + 2] = (swapped ? w1 : w2) * z
    }
  }
}
