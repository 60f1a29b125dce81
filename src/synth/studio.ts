/**
 * The static camera of the recording: 2.7 m in front of the person (who faces
 * +z at the start), a little above the middle of the body, looking at it, with
 * a focal length that makes the person in an A-pose fill about 80% of the
 * image height. Square pixels, principal point at the image centre.
 */
import { type Camera, centredIntrinsic, lookAt, type Vec3 } from "./camera.ts"
import { A_POSE_ARM, eulerXYZ } from "./motion.ts"
import { type Person, posePerson } from "./person.ts"

export const CAMERA_DISTANCE = 2.7
export const FILL = 0.8
const CAMERA_RAISE = 0.15

export interface Studio {
  readonly camera: Camera
  /** The point the camera looks at; held-out views turn about it. */
  readonly pivot: Vec3
}

/** [72] the A-pose facing the camera. */
export const aPose = (): Float64Array => {
  const pose = new Float64Array(72)
  pose.set(eulerXYZ(0, 0, -A_POSE_ARM), 16 * 3)
  pose.set(eulerXYZ(0, 0, A_POSE_ARM), 17 * 3)
  return pose
}

export const studio = (person: Person, width: number, height: number): Studio => {
  const clothed = posePerson(person, aPose(), new Float64Array(3)).clothed
  let low = Infinity, high = -Infinity
  for (let v = 1; v < clothed.length; v += 3) {
    low = Math.min(low, clothed[v]!)
    high = Math.max(high, clothed[v]!)
  }
  const pivot: Vec3 = [0, (low + high) / 2, 0]
  const eye: Vec3 = [0, pivot[1] + CAMERA_RAISE, CAMERA_DISTANCE]
  const focal = (FILL * height * CAMERA_DISTANCE) / (high - low)
  return { camera: { width, height, intrinsic: centredIntrinsic(focal, width, height), extrinsic: lookAt(eye, pivot) }, pivot }
}
