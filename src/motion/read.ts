/** Reading a motion file from disk (parse.ts does the rest), and the skeleton of an avatar's body for BVH retargeting. */
import { Effect } from "effect"
import type { BodyModel } from "../body/model.ts"
import { bodyForward64 } from "../body/forward64.ts"
import { DatasetError } from "../data/errors.ts"
import { readBytes } from "../io/errors.ts"
import type { Motion, MotionOptions, Skeleton } from "./motion.ts"
import { checkMotionName, parseMotion } from "./parse.ts"

export const readMotion = (file: string, options: MotionOptions): Effect.Effect<Motion, DatasetError> =>
  checkMotionName(file).pipe(
    Effect.zipRight(Effect.mapError(readBytes(file), (e) => new DatasetError({ file: e.file, reason: e.reason }))),
    Effect.flatMap((bytes) => parseMotion(file, bytes, options))
  )

/** The body's joint tree with shape `betas`, at rest (T-pose, no translation). */
export const skeletonOf = (body: BodyModel, betas: ArrayLike<number>): Skeleton => {
  const J = body.parents.length
  const { joints } = bodyForward64(
    { vTemplate: body.vTemplate, shapeDirs: body.shapeDirs, jRegressor: body.jRegressor, weights: body.weights, parents: Array.from(body.parents) },
    Float64Array.from(betas),
    new Float64Array(J * 3),
    new Float64Array(3),
    1
  )
  return { parents: Array.from(body.parents), restJoints: joints }
}
