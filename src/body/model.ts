/**
 * The body model: what the open body generator (openBody) produces and what a
 * loader of a user's SMPL file must produce. Plain typed arrays, row-major,
 * shapes written beside each field. V vertices, F faces, T UV corners,
 * K shape directions, 24 joints in SMPL order.
 */

export const JOINT_COUNT = 24

/** SMPL joint names in SMPL order. Left is +x, the body faces +z, y is up. */
export const SMPL_JOINT_NAMES: ReadonlyArray<string> = [
  "pelvis", "left_hip", "right_hip", "spine1", "left_knee", "right_knee", "spine2", "left_ankle",
  "right_ankle", "spine3", "left_foot", "right_foot", "neck", "left_collar", "right_collar", "head",
  "left_shoulder", "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_hand", "right_hand"
]

/** Parent of each joint (-1 for the root); a parent always precedes its children. */
export const SMPL_PARENTS: ReadonlyArray<number> = [-1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 12, 13, 14, 16, 17, 18, 19, 20, 21]

/**
 * UV layout as an OBJ stores it: T texture corners and, per face, the indices
 * of its three corners (seams need corners of their own, hence vt + ft rather
 * than one uv per vertex).
 * Convention: u and v in [0, 1]; texel (row i, column j) of an S x S map has
 * its centre at u = (j + 0.5) / S, v = (i + 0.5) / S, i.e. v grows DOWN the
 * image. (SMPL's OBJ has v up: a loader stores 1 - v.)
 */
export interface UvLayout {
  /** [T, 2] (u, v). */
  readonly vt: Float64Array
  /** [F, 3] indices into vt, corner k of face f textures corner k of faces[f]. */
  readonly ft: Uint32Array
}

export interface BodyModel {
  /** V. */
  readonly vertexCount: number
  /** K, the number of shape directions (betas). */
  readonly shapeCount: number
  /** [V, 3] rest (T-pose) vertices in metres, beta = 0. */
  readonly vTemplate: Float64Array
  /** [F, 3] vertex indices, counter-clockwise seen from outside. */
  readonly faces: Uint32Array
  readonly uv: UvLayout
  /** [V, 24] skinning weights, each row sums to 1. */
  readonly weights: Float64Array
  /** [V, 3, K] vertex displacement per unit of each beta. */
  readonly shapeDirs: Float64Array
  /** [V, 3, 207] pose-corrective displacements (SMPL's posedirs) or undefined where the model has none. */
  readonly poseDirs: Float64Array | undefined
  /** [24, V] dense joint regressor; joints = jRegressor x vertices. */
  readonly jRegressor: Float64Array
  /** [24] parent index per joint, -1 for the root. */
  readonly parents: Int32Array
  /** [24] joint names. */
  readonly jointNames: ReadonlyArray<string>
}

/** Rest positions (T-pose, beta = 0) of the SMPL neutral body's joints, approximately (metres), [24][3]. */
export const SMPL_REST_JOINTS: ReadonlyArray<readonly [number, number, number]> = [
  [0, -0.23, 0.02], [0.06, -0.32, 0.02], [-0.06, -0.32, 0.02], [0, -0.13, 0],
  [0.1, -0.7, 0.01], [-0.1, -0.7, 0.01], [0, 0, 0.03], [0.09, -1.1, -0.02],
  [-0.09, -1.1, -0.02], [0, 0.06, 0.03], [0.12, -1.16, 0.1], [-0.12, -1.16, 0.1],
  [0, 0.28, -0.01], [0.075, 0.19, -0.005], [-0.075, 0.19, -0.005], [0, 0.35, 0.03],
  [0.17, 0.21, -0.02], [-0.17, 0.21, -0.02], [0.43, 0.2, -0.04], [-0.43, 0.2, -0.04],
  [0.7, 0.21, -0.03], [-0.7, 0.21, -0.03], [0.79, 0.2, -0.05], [-0.79, 0.2, -0.05]
]
