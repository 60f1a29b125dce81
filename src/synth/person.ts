/**
 * The clothed person: the open body (or any BodyModel) with a shape, the
 * garments' stand-off from the skin (garment.ts) and a baked texture. Posing
 * moves the clothed rest surface with the body's own skinning transforms
 * (skinning.ts, on bodyForward's Float64 reference), so the clothes follow the pose.
 */
import type { BodyModel } from "../body/model.ts"
import { hemLift, hemWeight, materialAt, standOff } from "./garment.ts"
import { argmax, vertexNormals } from "./mesh.ts"
import { jointTransforms, type Skeleton, skeletonOf, skinSparse, sparseWeights, type SparseWeights } from "./skinning.ts"
import { bakeTexture, type Texture } from "./texture.ts"

export interface Person {
  readonly body: BodyModel
  readonly skeleton: Skeleton
  readonly weights: SparseWeights
  /** [K] */
  readonly betas: Float64Array
  /** [V, 3] the body's rest surface with shape betas. */
  readonly shapedRest: Float64Array
  /** [V, 3] its unit normals. */
  readonly restNormals: Float64Array
  /** [V] cloth stand-off along the normal, metres. */
  readonly standOff: Float64Array
  /** [V] how much of the pose-dependent hem lift each vertex takes. */
  readonly hemWeights: Float64Array
  readonly texture: Texture
}

const shapedSurface = (body: BodyModel, betas: Float64Array): Float64Array => {
  const K = body.shapeCount
  const out = Float64Array.from(body.vTemplate)
  for (let i = 0; i < out.length; i++) for (let k = 0; k < K; k++) out[i]! += body.shapeDirs[i * K + k]! * (betas[k] ?? 0)
  return out
}

export const createPerson = (body: BodyModel, betas: Float64Array, textureSize: number): Person => {
  const V = body.vertexCount
  const J = body.parents.length
  const shapedRest = shapedSurface(body, betas)
  const restNormals = vertexNormals(shapedRest, body.faces)
  const offsets = new Float64Array(V)
  const hemWeights = new Float64Array(V)
  const t = body.vTemplate
  for (let v = 0; v < V; v++) {
    const material = materialAt(argmax(body.weights, v * J, J), t[3 * v]!, t[3 * v + 1]!, t[3 * v + 2]!)
    offsets[v] = standOff(material, t[3 * v]!, t[3 * v + 1]!, t[3 * v + 2]!)
    hemWeights[v] = material === "shirt" ? hemWeight(t[3 * v + 1]!) : 0
  }
  const person = {
    body,
    skeleton: skeletonOf(body, shapedRest),
    weights: sparseWeights(body.weights, J),
    betas,
    shapedRest,
    restNormals,
    standOff: offsets,
    hemWeights
  }
  const clothedNormals = vertexNormals(clothedRest(person, 0), body.faces)
  return { ...person, texture: bakeTexture({ body, patternPositions: body.vTemplate, normals: clothedNormals }, textureSize) }
}

/** [V, 3] the clothed surface in the rest pose, with the hem lifted by `lift` metres. */
export const clothedRest = (person: Pick<Person, "shapedRest" | "restNormals" | "standOff" | "hemWeights">, lift: number): Float64Array => {
  const out = Float64Array.from(person.shapedRest)
  for (let v = 0; v < out.length / 3; v++) {
    const d = person.standOff[v]!
    for (let c = 0; c < 3; c++) out[3 * v + c]! += d * person.restNormals[3 * v + c]!
    out[3 * v + 1]! += lift * person.hemWeights[v]!
  }
  return out
}

export interface PosedPerson {
  /** [V, 3] the clothed surface. */
  readonly clothed: Float64Array
  /** [V, 3] the body under the clothes. */
  readonly body: Float64Array
  /** [24, 3] */
  readonly joints: Float64Array
}

/** The person in pose [72] (axis-angle, SMPL order) with root translation [3]. */
export const posePerson = (person: Person, pose: Float64Array, transl: Float64Array): PosedPerson => {
  const { transforms, joints } = jointTransforms(person.skeleton, pose, transl)
  return {
    clothed: skinSparse(clothedRest(person, hemLift(pose)), person.weights, transforms),
    body: skinSparse(person.shapedRest, person.weights, transforms),
    joints
  }
}
