/**
 * uvMaps: the query points of the avatar. Rasterises the mesh's UV layout at
 * S x S and, for every texel whose centre falls inside a UV triangle, records
 * the face, the barycentric coordinates of the centre in it, and the
 * barycentric blend of the vertices' positions and skinning weights.
 * Texel (row i, column j) has centre u = (j + 0.5) / S, v = (i + 0.5) / S
 * (see UvLayout in src/body/model.ts). A precomputation on typed arrays, not
 * differentiable (face ids are discrete); posedPositionMap carries gradients.
 */
import type { UvLayout } from "../../body/model.ts"
import { rasterizeTriangles } from "./rasterize.ts"

export interface UvMapsInput {
  /** [V, 3] vertex positions (e.g. the body in the canonical pose). */
  readonly vertices: Float64Array
  /** [F, 3] */
  readonly faces: Uint32Array
  readonly uv: UvLayout
  /** [V, J] per-vertex skinning weights. */
  readonly weights: Float64Array
  readonly jointCount: number
}

export interface UvMaps {
  readonly size: number
  /** [S * S] 1 where a face covers the texel centre. */
  readonly valid: Uint8Array
  /** [S * S] face index, -1 where invalid. */
  readonly faceId: Int32Array
  /** [S * S, 3] barycentric weights of the face's corners (zeros where invalid). */
  readonly bary: Float64Array
  /** [S * S, 3] interpolated positions (zeros where invalid). */
  readonly positions: Float64Array
  /** [S * S, J] interpolated skinning weights (zeros where invalid). */
  readonly weights: Float64Array
  /** [N] indices of the valid texels, row-major order. */
  readonly validTexels: Int32Array
}

export const uvMaps = (input: UvMapsInput, size: number): UvMaps => {
  const texels = size * size
  const J = input.jointCount
  const valid = new Uint8Array(texels)
  const faceId = new Int32Array(texels).fill(-1)
  const bary = new Float64Array(texels * 3)
  const positions = new Float64Array(texels * 3)
  const weights = new Float64Array(texels * J)
  const corners = input.uv.vt.map((x) => x * size)
  rasterizeTriangles(corners, input.uv.ft, size, (texel, face, b0, b1, b2) => {
    valid[texel] = 1
    faceId[texel] = face
    const b = [b0, b1, b2]
    bary.set(b, 3 * texel)
    for (let k = 0; k < 3; k++) {
      const v = input.faces[3 * face + k]!
      for (let c = 0; c < 3; c++) positions[3 * texel + c]! += b[k]! * input.vertices[3 * v + c]!
      for (let j = 0; j < J; j++) weights[J * texel + j]! += b[k]! * input.weights[J * v + j]!
    }
  })
  const validTexels: number[] = []
  valid.forEach((x, t) => {
    if (x === 1) validTexels.push(t)
  })
  return { size, valid, faceId, bary, positions, weights, validTexels: Int32Array.from(validTexels) }
}

/**
 * The constant inputs of posedPositionMap: per texel the vertex indices of its
 * face's corners ([S * S, 3], 0 where invalid) and the barycentric weights
 * ([S * S, 3], 0 where invalid).
 */
export const texelCorners = (maps: UvMaps, faces: Uint32Array): { readonly texelVertices: Int32Array; readonly texelBary: Float64Array } => {
  const texelVertices = new Int32Array(maps.faceId.length * 3)
  maps.faceId.forEach((f, t) => {
    if (f >= 0) for (let k = 0; k < 3; k++) texelVertices[3 * t + k] = faces[3 * f + k]!
  })
  return { texelVertices, texelBary: maps.bary }
}
