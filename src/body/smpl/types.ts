/**
 * A body model as read from an SMPL / SMPL-X file, in plain typed arrays
 * (row-major). V vertices, F faces, J joints, K shape directions, P = 9 (J - 1)
 * pose-corrective directions (one per entry of each non-root joint's R - I).
 * toBodyModel (bodyModel.ts) turns it into the project's BodyModel.
 */
export interface SmplFile {
  /** The file it came from (for messages). */
  readonly file: string
  readonly vertexCount: number
  readonly jointCount: number
  readonly shapeCount: number
  /** [V*3] rest vertices, metres */
  readonly vTemplate: Float64Array
  /** [F*3] vertex indices of each triangle */
  readonly faces: Uint32Array
  /** [V*J] skinning weights, rows sum to 1 */
  readonly weights: Float64Array
  /** [V*3*K] vertex offsets per unit of each shape coefficient */
  readonly shapeDirs: Float64Array
  /** [V*3*P] vertex offsets per unit of each pose feature (P = 9 (J - 1)) */
  readonly poseDirs: Float64Array
  /** [J*V] dense joint regressor: joints = jRegressor x vertices */
  readonly jRegressor: Float64Array
  /** [J] parent joint of each joint, -1 for the root; parents[j] < j */
  readonly parents: Int32Array
  /** The UV layout, from a separate OBJ */
  readonly uv?: UvLayout
}

export interface UvLayout {
  /** [T*2] texture coordinates in [0, 1] */
  readonly vt: Float32Array
  /** [F*3] texture-coordinate indices of each triangle, in the order of SmplFile.faces */
  readonly ft: Uint32Array
}
