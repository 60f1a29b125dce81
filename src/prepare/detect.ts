/**
 * Per frame: the person's probability (selfie segmentation on the whole frame, letterboxed to a
 * square, averaged with its mirror image) and BlazePose's 33 landmarks on a square crop around the
 * largest region of that probability (1.25 times its longer side). Landmark scores are
 * sigmoid(visibility) x sigmoid(presence); the pose score is the model's pose flag.
 */
import * as tf from "@tensorflow/tfjs"
import { Effect } from "effect"
import type { Image8 } from "../io/png.ts"
import { largestRegion } from "./masks.ts"
import type { Detectors } from "./models.ts"

export const LANDMARKS = 33
const POSE_INPUT = 256
const SEGMENT_INPUT = 256
const CROP_MARGIN = 1.25

export interface Detection {
  /** [33 * 3]: x, y in frame pixels, score in 0..1; all zero when no person was found. */
  readonly landmarks: Float32Array
  /** BlazePose's pose flag (0 when no person region was found). */
  readonly poseScore: number
  /** [H * W] person probability, 0..255. */
  readonly probability: Uint8Array
}

/** A square in frame pixels: centre and side. */
export interface Square {
  readonly cx: number
  readonly cy: number
  readonly side: number
}

/** tf.image.cropAndResize's box [y1, x1, y2, x2] (normalised to the frame's pixel centres) of a square. */
const boxOf = (s: Square, width: number, height: number): [number, number, number, number] => [
  (s.cy - s.side / 2) / (height - 1),
  (s.cx - s.side / 2) / (width - 1),
  (s.cy + s.side / 2) / (height - 1),
  (s.cx + s.side / 2) / (width - 1)
]

const frameTensor = (image: Image8): tf.Tensor4D =>
  tf.tidy(() => {
    const t = tf.tensor3d(Uint8Array.from(image.data), [image.height, image.width, image.channels], "int32")
    const rgb = image.channels === 3 ? t : tf.slice(t, [0, 0, 0], [-1, -1, 3])
    return tf.expandDims(tf.div(tf.cast(rgb, "float32"), 255), 0) as tf.Tensor4D
  })

/** The square holding the whole frame (letterbox). */
export const wholeFrame = (width: number, height: number): Square => ({ cx: (width - 1) / 2, cy: (height - 1) / 2, side: Math.max(width, height) })

const segment = (detectors: Detectors, frame: tf.Tensor4D, width: number, height: number): Promise<Uint8Array> => {
  const probability = tf.tidy(() => {
    const square = wholeFrame(width, height)
    const crop = tf.image.cropAndResize(frame, [boxOf(square, width, height)], [0], [SEGMENT_INPUT, SEGMENT_INPUT])
    const direct = detectors.segmenter.execute(crop) as tf.Tensor4D
    const mirrored = tf.image.flipLeftRight(detectors.segmenter.execute(tf.image.flipLeftRight(crop)) as tf.Tensor4D)
    const mean = tf.div(tf.add(direct, mirrored), 2) as tf.Tensor4D
    const L = square.side - 1
    const back: [number, number, number, number] = [(square.side - height) / 2 / L, (square.side - width) / 2 / L, ((square.side - height) / 2 + height - 1) / L, ((square.side - width) / 2 + width - 1) / L]
    return tf.cast(tf.round(tf.mul(tf.clipByValue(tf.image.cropAndResize(mean, [back], [0], [height, width]), 0, 1), 255)), "int32")
  })
  return probability.data().then((d) => {
    probability.dispose()
    return Uint8Array.from(d as Int32Array)
  })
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x))

const landmarksIn = async (detectors: Detectors, frame: tf.Tensor4D, square: Square, width: number, height: number): Promise<{ landmarks: Float32Array; poseScore: number }> => {
  const [points, flag] = tf.tidy(() => {
    const crop = tf.image.cropAndResize(frame, [boxOf(square, width, height)], [0], [POSE_INPUT, POSE_INPUT])
    return detectors.pose.execute(crop, ["Identity_2:0", "Identity_3:0"]) as tf.Tensor[]
  }) as [tf.Tensor, tf.Tensor]
  const [raw, score] = await Promise.all([points.data(), flag.data()])
  tf.dispose([points, flag])
  const landmarks = new Float32Array(LANDMARKS * 3)
  const x0 = square.cx - square.side / 2, y0 = square.cy - square.side / 2
  for (let k = 0; k < LANDMARKS; k++) {
    landmarks[3 * k] = x0 + (raw[5 * k]! / POSE_INPUT) * square.side
    landmarks[3 * k + 1] = y0 + (raw[5 * k + 1]! / POSE_INPUT) * square.side
    landmarks[3 * k + 2] = sigmoid(raw[5 * k + 3]!) * sigmoid(raw[5 * k + 4]!)
  }
  return { landmarks, poseScore: score[0]! }
}

/** The person's probability and landmarks in one frame (RGB or RGBA). */
export const detect = (detectors: Detectors, image: Image8): Effect.Effect<Detection> =>
  Effect.promise(async () => {
    const frame = frameTensor(image)
    try {
      const probability = await segment(detectors, frame, image.width, image.height)
      const region = largestRegion(probability, image.width, image.height, 128)
      if (!region) return { landmarks: new Float32Array(LANDMARKS * 3), poseScore: 0, probability }
      const side = CROP_MARGIN * Math.max(region.x1 - region.x0 + 1, region.y1 - region.y0 + 1)
      const square = { cx: (region.x0 + region.x1) / 2, cy: (region.y0 + region.y1) / 2, side }
      return { ...(await landmarksIn(detectors, frame, square, image.width, image.height)), probability }
    } finally {
      frame.dispose()
    }
  })
