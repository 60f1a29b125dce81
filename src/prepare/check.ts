/**
 * What the fit looks like in each frame, computed in Float64 on the whole body (not the fit's point
 * subset): the posed mesh projected through the fit's camera (at the origin), its silhouette (every
 * triangle filled: coverage needs no depth order), its IoU with the mask, and the reprojection error
 * of the landmarks, in pixels, over those the fit used (score >= 0.2, weight > 0).
 */
import { bodyForward64 } from "../body/forward64.ts"
import type { BodyModel } from "../body/model.ts"
import type { LandmarkRule } from "../graphs/fit/landmarks.ts"
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

/** Camera-space points [N * 3] -> pixel x, y and depth. */
export const project = (c: Pinhole, points: Float64Array): Float64Array => {
  const out = new Float64Array(points.length)
  for (let i = 0; i < points.length; i += 3) {
    const z = points[i + 2]!
    out[i] = (c.fx * points[i]!) / z + c.cx
    out[i + 1] = (c.fy * points[i + 1]!) / z + c.cy
    out[i + 2] = z
  }
  return out
}

/** Pixels (centres at integers) inside any projected triangle in front of the camera. */
export const fillTriangles = (screen: Float64Array, faces: Uint32Array, width: number, height: number): Uint8Array => {
  const out = new Uint8Array(width * height)
  for (let f = 0; f < faces.length; f += 3) {
    const a = 3 * faces[f]!, b = 3 * faces[f + 1]!, c = 3 * faces[f + 2]!
    if (screen[a + 2]! <= 0 || screen[b + 2]! <= 0 || screen[c + 2]! <= 0) continue
    const ax = screen[a]!, ay = screen[a + 1]!, bx = screen[b]!, by = screen[b + 1]!, cx = screen[c]!, cy = screen[c + 1]!
    const area = (bx - ax) * (cy - ay) - (cx - ax) * (by - ay)
    if (area === 0) continue
    const x0 = Math.max(0, Math.ceil(Math.min(ax, bx, cx))), x1 = Math.min(width - 1, Math.floor(Math.max(ax, bx, cx)))
    const y0 = Math.max(0, Math.ceil(Math.min(ay, by, cy))), y1 = Math.min(height - 1, Math.floor(Math.max(ay, by, cy)))
    for (let y = y0; y <= y1; y++)
      for (let x = x0; x <= x1; x++) {
        const w0 = ((bx - x) * (cy - y) - (cx - x) * (by - y)) / area
        const w1 = ((cx - x) * (ay - y) - (ax - x) * (cy - y)) / area
        if (w0 >= 0 && w1 >= 0 && w0 + w1 <= 1) out[y * width + x] = 1
      }
  }
  return out
}

/** Poses `body` with shape `betas` through the camera at the origin. */
export const poser = (body: BodyModel, betas: ArrayLike<number>, camera: Pinhole, width: number, height: number): Poser => {
  const K = body.shapeCount
  const arrays = { vTemplate: body.vTemplate, shapeDirs: body.shapeDirs, jRegressor: body.jRegressor, weights: body.weights, parents: Array.from(body.parents) }
  const shape = Float64Array.from({ length: K }, (_, k) => (k < 10 ? (betas[k] ?? 0) : 0))
  return {
    pose: (pose, transl) => {
      const posed = bodyForward64(arrays, shape, Float64Array.from(pose), Float64Array.from(transl), 1)
      const screen = project(camera, posed.vertices)
      return { screen, joints: project(camera, posed.joints), silhouette: fillTriangles(screen, body.faces, width, height) }
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
