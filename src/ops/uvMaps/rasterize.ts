/**
 * Rasterise 2D triangles onto an S x S texel grid: texel (row i, column j) is
 * covered when its centre (j + 0.5, i + 0.5), in texel units, lies inside the
 * triangle. Points exactly on an edge go to one side only (a top-left style
 * rule keyed on the edge direction, with edge functions evaluated the same
 * way from both sides), so two triangles sharing an edge never both claim a
 * texel, nor leave one out. Degenerate (zero-area) triangles cover nothing.
 */

/** Called per covered texel with barycentric weights of the face's three corners (they sum to 1). */
export type TexelVisitor = (texel: number, face: number, b0: number, b1: number, b2: number) => void

/**
 * Signed area of (a, b, p), always computed from the lexicographically smaller
 * endpoint, so the two triangles sharing an edge get exactly opposite values
 * and never both (or neither) claim a point near it.
 */
const edgeFunction = (ax: number, ay: number, bx: number, by: number, px: number, py: number): number =>
  ax < bx || (ax === bx && ay < by) ? (bx - ax) * (py - ay) - (by - ay) * (px - ax) : -((ax - bx) * (py - by) - (ay - by) * (px - bx))

/** Whether a point on edge a -> b (of a counter-clockwise triangle) belongs to this triangle. */
const ownsEdge = (dx: number, dy: number): boolean => dy < 0 || (dy === 0 && dx > 0)

/**
 * corners: [T, 2] corner coordinates in texel units (x = column, y = row);
 * tris: [F, 3] corner indices. Visits every covered texel of every face.
 */
export const rasterizeTriangles = (corners: Float64Array, tris: Uint32Array, size: number, visit: TexelVisitor): void => {
  for (let f = 0; f < tris.length / 3; f++) {
    let i0 = tris[3 * f]!
    let i1 = tris[3 * f + 1]!
    let i2 = tris[3 * f + 2]!
    const area0 = (corners[2 * i1]! - corners[2 * i0]!) * (corners[2 * i2 + 1]! - corners[2 * i0 + 1]!) - (corners[2 * i2]! - corners[2 * i0]!) * (corners[2 * i1 + 1]! - corners[2 * i0 + 1]!)
    if (area0 === 0 || !Number.isFinite(area0)) continue
    const swapped = area0 < 0
    if (swapped) [i1, i2] = [i2, i1]
    const x0 = corners[2 * i0]!, y0 = corners[2 * i0 + 1]!
    const x1 = corners[2 * i1]!, y1 = corners[2 * i1 + 1]!
    const x2 = corners[2 * i2]!, y2 = corners[2 * i2 + 1]!
    const area = Math.abs(area0)
    const jMin = Math.max(0, Math.ceil(Math.min(x0, x1, x2) - 0.5))
    const jMax = Math.min(size - 1, Math.floor(Math.max(x0, x1, x2) - 0.5))
    const iMin = Math.max(0, Math.ceil(Math.min(y0, y1, y2) - 0.5))
    const iMax = Math.min(size - 1, Math.floor(Math.max(y0, y1, y2) - 0.5))
    const own0 = ownsEdge(x2 - x1, y2 - y1)
    const own1 = ownsEdge(x0 - x2, y0 - y2)
    const own2 = ownsEdge(x1 - x0, y1 - y0)
    for (let i = iMin; i <= iMax; i++) {
      const py = i + 0.5
      for (let j = jMin; j <= jMax; j++) {
        const px = j + 0.5
        // w0: weight of corner 0 = signed area opposite it (edge 1 -> 2), and so on.
        const w0 = edgeFunction(x1, y1, x2, y2, px, py)
        const w1 = edgeFunction(x2, y2, x0, y0, px, py)
        const w2 = edgeFunction(x0, y0, x1, y1, px, py)
        if (w0 < 0 || w1 < 0 || w2 < 0) continue
        if ((w0 === 0 && !own0) || (w1 === 0 && !own1) || (w2 === 0 && !own2)) continue
        const b0 = w0 / area
        const b1 = w1 / area
        const b2 = 1 - b0 - b1
        if (swapped) visit(i * size + j, f, b0, b2, b1)
        else visit(i * size + j, f, b0, b1, b2)
      }
    }
  }
}
