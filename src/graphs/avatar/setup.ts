/**
 * The constants an avatar graph is given (run()'s `constants`): the body
 * model's arrays, the UV query points of the canonical body at the query map
 * size (positions, skinning weights, texel indices, UV coordinates), the
 * inverse canonical joint transforms, and the texel corners of the posed
 * position map (stage 2). Plain typed arrays, computed on the host.
 */
import type { BodyModel } from "../../body/model.ts"
import { texelCorners, uvMaps } from "../../body/uv/uvMaps.ts"
import type { HostTensor } from "../../data/dataset.ts"
import { hostTensor } from "../../data/dataset.ts"
import { canonicalBody } from "../../body/canonical.ts"

export interface AvatarDims {
  /** Body vertices. */
  readonly V: number
  /** Shape directions (betas). */
  readonly K: number
  /** Query points: valid texels of the query map. */
  readonly N: number
}

export interface AvatarSetup {
  readonly dims: AvatarDims
  readonly querySize: number
  readonly poseMapSize: number
  readonly constants: { readonly [key: string]: HostTensor }
}

const f32 = (shape: ReadonlyArray<number>, data: ArrayLike<number>): HostTensor => hostTensor(shape, Float32Array.from(data))

/** Rows of a [texels, width] array picked at the given texels. */
const rows = (data: Float64Array, width: number, texels: Int32Array): Float32Array => {
  const out = new Float32Array(texels.length * width)
  texels.forEach((t, i) => out.set(data.subarray(t * width, (t + 1) * width), i * width))
  return out
}

export const avatarSetup = (body: BodyModel, betas: Float64Array, querySize: number, poseMapSize: number): AvatarSetup => {
  const J = body.parents.length
  const canonical = canonicalBody(body, betas)
  const query = uvMaps({ vertices: canonical.vertices, faces: body.faces, uv: body.uv, weights: body.weights, jointCount: J }, querySize)
  const texels = query.validTexels
  const uv = Float32Array.from({ length: texels.length * 2 }, (_, k) => {
    const t = texels[k >> 1] as number
    return k % 2 === 0 ? ((t % querySize) + 0.5) / querySize : (Math.floor(t / querySize) + 0.5) / querySize
  })
  const poseMap = texelCorners(uvMaps({ vertices: canonical.vertices, faces: body.faces, uv: body.uv, weights: body.weights, jointCount: J }, poseMapSize), body.faces)
  const V = body.vertexCount
  const K = body.shapeCount
  return {
    dims: { V, K, N: texels.length },
    querySize,
    poseMapSize,
    constants: {
      vTemplate: f32([V, 3], body.vTemplate),
      shapeDirs: f32([V, 3, K], body.shapeDirs),
      jRegressor: f32([J, V], body.jRegressor),
      skinWeights: f32([V, J], body.weights),
      queryPoints: hostTensor([texels.length, 3], rows(query.positions, 3, texels)),
      queryWeights: hostTensor([texels.length, J], rows(query.weights, J, texels)),
      queryTexels: hostTensor([texels.length], Int32Array.from(texels)),
      queryUv: hostTensor([texels.length, 2], uv),
      inverseCanonical: f32([J, 4, 4], canonical.inverseTransforms),
      texelVertices: hostTensor([poseMapSize * poseMapSize, 3], Int32Array.from(poseMap.texelVertices)),
      texelBary: f32([poseMapSize * poseMapSize, 3], poseMap.texelBary)
    }
  }
}
