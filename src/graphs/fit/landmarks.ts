/**
 * The 33 body landmarks of BlazePose (MediaPipe's pose landmark model, the keypoint detector of
 * `gavatar prepare`), in the detector's order, and where each sits on the body: a joint of the SMPL
 * tree, or a surface point picked on the body's rest surface by a rule (the vertex furthest along a
 * direction among the vertices of some joints, near a height). Face points follow ordinary human
 * proportions relative to the head joint (eyes 10.5 cm above it and 3.2 cm to each side, mouth
 * 4.8 cm above it). A weight of 0 leaves a landmark out of the fit.
 */

export const BLAZEPOSE_LANDMARKS: ReadonlyArray<string> = [
  "nose", "left_eye_inner", "left_eye", "left_eye_outer", "right_eye_inner", "right_eye", "right_eye_outer",
  "left_ear", "right_ear", "mouth_left", "mouth_right", "left_shoulder", "right_shoulder", "left_elbow",
  "right_elbow", "left_wrist", "right_wrist", "left_pinky", "right_pinky", "left_index", "right_index",
  "left_thumb", "right_thumb", "left_hip", "right_hip", "left_knee", "right_knee", "left_ankle",
  "right_ankle", "left_heel", "right_heel", "left_foot_index", "right_foot_index"
]

export type Vec3 = readonly [number, number, number]

/** Where a landmark sits on the body. */
export type BodyPoint =
  | { readonly _tag: "Joint"; readonly joint: number }
  /**
   * Among vertices whose strongest skinning joint is in `joints` and (when given) within `band`
   * metres of `near` (rest offsets from joint `from`) on the axes `bandAxes`, the one furthest along `direction`.
   */
  | {
      readonly _tag: "Surface"
      readonly joints: ReadonlyArray<number>
      readonly direction: Vec3
      readonly from?: number
      readonly near?: Vec3
      readonly bandAxes?: ReadonlyArray<0 | 1 | 2>
      readonly band?: number
    }

export interface LandmarkRule {
  readonly name: string
  readonly point: BodyPoint
  /** Relative weight in the keypoint term. */
  readonly weight: number
}

const HEAD = 15
const joint = (j: number): BodyPoint => ({ _tag: "Joint", joint: j })
const face = (x: number, dy: number): BodyPoint => ({ _tag: "Surface", joints: [HEAD], direction: [0, 0, 1], from: HEAD, near: [x, dy, 0], bandAxes: [0, 1], band: 0.012 })
const ear = (side: 1 | -1): BodyPoint => ({ _tag: "Surface", joints: [HEAD], direction: [side, 0, 0], from: HEAD, near: [0, 0.095, 0], bandAxes: [1, 2], band: 0.02 })
/** Finger tips on a hand at rest: along the arm, a little to the front (index) or the back (pinky). */
const finger = (side: 1 | -1, front: number): BodyPoint => ({ _tag: "Surface", joints: [side === 1 ? 22 : 23], direction: [side, 0, front] })
const heel = (side: 1 | -1): BodyPoint => ({ _tag: "Surface", joints: [side === 1 ? 7 : 8, side === 1 ? 10 : 11], direction: [0, -0.5, -1] })
const toe = (side: 1 | -1): BodyPoint => ({ _tag: "Surface", joints: [side === 1 ? 10 : 11], direction: [0, -0.3, 1] })

/** Every BlazePose landmark with its body point; eye corners are left out (the eyes carry them). */
export const blazePoseRules: ReadonlyArray<LandmarkRule> = [
  { name: "nose", point: face(0, 0.075), weight: 1 },
  { name: "left_eye_inner", point: face(0.016, 0.105), weight: 0 },
  { name: "left_eye", point: face(0.032, 0.105), weight: 1 },
  { name: "left_eye_outer", point: face(0.048, 0.105), weight: 0 },
  { name: "right_eye_inner", point: face(-0.016, 0.105), weight: 0 },
  { name: "right_eye", point: face(-0.032, 0.105), weight: 1 },
  { name: "right_eye_outer", point: face(-0.048, 0.105), weight: 0 },
  { name: "left_ear", point: ear(1), weight: 1 },
  { name: "right_ear", point: ear(-1), weight: 1 },
  { name: "mouth_left", point: face(0.022, 0.048), weight: 1 },
  { name: "mouth_right", point: face(-0.022, 0.048), weight: 1 },
  { name: "left_shoulder", point: joint(16), weight: 1 },
  { name: "right_shoulder", point: joint(17), weight: 1 },
  { name: "left_elbow", point: joint(18), weight: 1 },
  { name: "right_elbow", point: joint(19), weight: 1 },
  { name: "left_wrist", point: joint(20), weight: 1 },
  { name: "right_wrist", point: joint(21), weight: 1 },
  { name: "left_pinky", point: finger(1, -0.3), weight: 0.5 },
  { name: "right_pinky", point: finger(-1, -0.3), weight: 0.5 },
  { name: "left_index", point: finger(1, 0.3), weight: 0.5 },
  { name: "right_index", point: finger(-1, 0.3), weight: 0.5 },
  { name: "left_thumb", point: finger(1, 1), weight: 0 },
  { name: "right_thumb", point: finger(-1, 1), weight: 0 },
  // Detectors put the hips higher and further out than SMPL's hip joints: half weight (SPIN leaves them out).
  { name: "left_hip", point: joint(1), weight: 0.5 },
  { name: "right_hip", point: joint(2), weight: 0.5 },
  { name: "left_knee", point: joint(4), weight: 1 },
  { name: "right_knee", point: joint(5), weight: 1 },
  { name: "left_ankle", point: joint(7), weight: 1 },
  { name: "right_ankle", point: joint(8), weight: 1 },
  { name: "left_heel", point: heel(1), weight: 1 },
  { name: "right_heel", point: heel(-1), weight: 1 },
  { name: "left_foot_index", point: toe(1), weight: 1 },
  { name: "right_foot_index", point: toe(-1), weight: 1 }
]

/** Indices (BlazePose order) of the torso landmarks: shoulders and hips. */
export const TORSO = { leftShoulder: 11, rightShoulder: 12, leftHip: 23, rightHip: 24 } as const
/** Landmarks seen only when the face is towards the camera. */
export const FACE = [0, 2, 5, 9, 10] as const

/**
 * A bone whose direction in 3D the fit compares with the detector's 3D landmarks: from one landmark
 * to another, and the body joints that stand for them.
 */
export interface BoneRule {
  readonly name: string
  /** [from, to] landmark indices (BlazePose order). */
  readonly landmarks: readonly [number, number]
  /** [from, to] joints of the SMPL tree. */
  readonly joints: readonly [number, number]
}

/** Limbs, and the lines across the shoulders and the hips (they carry the body's turn). */
export const blazePoseBones: ReadonlyArray<BoneRule> = [
  { name: "left upper arm", landmarks: [11, 13], joints: [16, 18] },
  { name: "right upper arm", landmarks: [12, 14], joints: [17, 19] },
  { name: "left forearm", landmarks: [13, 15], joints: [18, 20] },
  { name: "right forearm", landmarks: [14, 16], joints: [19, 21] },
  { name: "left thigh", landmarks: [23, 25], joints: [1, 4] },
  { name: "right thigh", landmarks: [24, 26], joints: [2, 5] },
  { name: "left shin", landmarks: [25, 27], joints: [4, 7] },
  { name: "right shin", landmarks: [26, 28], joints: [5, 8] },
  { name: "shoulders", landmarks: [12, 11], joints: [17, 16] },
  { name: "hips", landmarks: [24, 23], joints: [2, 1] }
]

/** The bones of the body's turn (blazePoseBones' shoulders and hips): the first stage uses only these. */
export const TORSO_BONES: ReadonlyArray<string> = ["shoulders", "hips"]
