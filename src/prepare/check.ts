/**
 * What the fit looks like in each frame, computed in Float64 on the whole body (not the fit's point
 * subset): the posed mesh's silhouette (src/synth's mesh rasteriser), its IoU with the mask, and the
 * reprojection error of the landmarks, in pixels, over those the fit used (score >= 0.2, weight > 0).
 */
import type { BodyModel } from "../body/model.ts"
import type { LandmarkRule } from "../graphs/fit/landmarks.ts"
import { centredIntrinsic, toScreen } from "../synth/camera.ts"
import type { Camera } from "../synth/camera.ts"
import { createTarget, rasterize } from "../synth/raster.ts"
import { jointTransforms, skeletonOf, skinSparse, sparseWeights } from "../synth/skinning.ts"
import type { SparseWeights } from "../synth/skinning.ts"
import { MIN_SCORE } from "./fit.ts"
import type { Pinhole } from "./init.ts"

export interface PosedFrame {
  /** [V * 3] pixel x, y and depth of every vertex. */
  readonly screen: Float64Array
  /** [24 * 3] pixel x, y and depth of the joints. */
  readonly joints: Float64Array
  /** [H * W] 1 where the body covers the pixel. */
  readonly silhouette: Uint8Array
}

export interface Poser {
  readonly pose: (pose: ArrayLike<number>, transl: ArrayLike<number>) => PosedFrame
}

export const cameraOf = (c: Pinhole, width: number, height: number): Camera => {
  const intrinsic = centredIntrinsic(c.fx, width, height)
  intrinsic[4] = c.fy
  intrinsic[2] = c.cx
  intrinsic[5] = c.cy
  return { width, height, intrinsic, extrinsic: Float64Array.of(1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1) }
}

/** Poses `body` with shape `betas` through the camera. */
export const poser = (body: BodyModel, betas: ArrayLike<number>, camera: Camera): Poser => {
  const shaped = Float64Array.from(body.vTemplate)
  for (let i = 0; i < shaped.length; i++) for (let k = 0; k < Math.min(10, body.shapeCount); k++) shaped[i]! += body.shapeDirs[i * body.shapeCount + k]! * (betas[k] ?? 0)
  const skeleton = skeletonOf(body, shaped)
  const weights: SparseWeights = sparseWeights(body.weights, 24)
  const target = createTarget(camera.width, camera.height)
  return {
    pose: (pose, transl) => {
      const { transforms, joints } = jointTransforms(skeleton, Float64Array.from(pose), Float64Array.from(transl))
      const screen = toScreen(camera, skinSparse(shaped, weights, transforms))
      target.depth.fill(Infinity)
      target.face.fill(-1)
      rasterize(target, screen, body.faces)
      return { screen, joints: toScreen(camera, joints), silhouette: Uint8Array.from(target.face, (f) => (f >= 0 ? 1 : 0)) }
    }
  }
}

export const iou = (silhouette: Uint8Array, mask: Uint8Array): number => {
  let both = 0, either = 0
  for (let i = 0; i < silhouette.length; i++) {
    const a = silhouette[i]! > 0, b = mask[i]! >= 128
    if (a && b) both++
    if (a || b) either++
  }
  return either === 0 ? 1 : both / either
}

/** Pixel x, y of each landmark's body point in a posed frame. */
export const landmarkPixels = (frame: PosedFrame, rules: ReadonlyArray<LandmarkRule>, vertices: ReadonlyArray<number>): Array<readonly [number, number]> =>
  rules.map((r, k) => {
    const at = r.point._tag === "Joint" ? r.point.joint : vertices[k]!
    const from = r.point._tag === "Joint" ? frame.joints : frame.screen
    return [from[3 * at]!, from[3 * at + 1]!] as const
  })

/** Mean pixel distance of the used landmarks to their body points (NaN when none is used). */
export const keypointError = (frame: PosedFrame, landmarks: Float32Array, rules: ReadonlyArray<LandmarkRule>, vertices: ReadonlyArray<number>): number => {
  const pixels = landmarkPixels(frame, rules, vertices)
  let sum = 0, n = 0
  rules.forEach((r, k) => {
    if (r.weight <= 0 || landmarks[3 * k + 2]! < MIN_SCORE) return
    sum += Math.hypot(pixels[k]![0] - landmarks[3 * k]!, pixels[k]![1] - landmarks[3 * k + 1]!)
    n++
  })
  return n === 0 ? Number.NaN : sum / n
}
