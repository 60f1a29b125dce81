/**
 * Noisy body fits, like a monocular pose estimator's: every joint's rotation
 * (global orientation included) is composed with a random rotation exp(xi),
 * xi ~ N(0, (sigma^2 / 3) I3), so the root-mean-square angle of the error is
 * `degrees`; each frame's translation gets N(0, (s^2 / 3) I3) with
 * s = `centimetres` / 100, so its root-mean-square length is `centimetres`.
 * Independent per frame and joint. A noisy rotation is written as the axis-angle
 * vector nearest the true one (a turn past pi stays past pi).
 */
import type { Rng } from "../math/rng.ts"
import type { Motion } from "./motion.ts"
import { composeAxisAngle, nearestEquivalent } from "../math/rotation.ts"

export interface NoiseLevel {
  /** Root-mean-square rotation error per joint, degrees. */
  readonly degrees: number
  /** Root-mean-square translation error, centimetres. */
  readonly centimetres: number
}

export const NO_NOISE: NoiseLevel = { degrees: 0, centimetres: 0 }

export const noisyFit = (truth: Motion, level: NoiseLevel, rng: Rng): Motion => {
  const poses = Float64Array.from(truth.poses)
  const transl = Float64Array.from(truth.transl)
  const perAxisAngle = (level.degrees * Math.PI) / 180 / Math.sqrt(3)
  const perAxisShift = level.centimetres / 100 / Math.sqrt(3)
  if (perAxisAngle > 0) {
    for (let at = 0; at < poses.length; at += 3) {
      const xi = [rng.normal() * perAxisAngle, rng.normal() * perAxisAngle, rng.normal() * perAxisAngle]
      const truthAt = truth.poses.subarray(at, at + 3)
      poses.set(nearestEquivalent(composeAxisAngle(xi, truthAt), truthAt), at)
    }
  }
  if (perAxisShift > 0) for (let i = 0; i < transl.length; i++) transl[i]! += rng.normal() * perAxisShift
  return { poses, transl }
}
