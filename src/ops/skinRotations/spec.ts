import { defineOp } from "../../dsl/op.ts"
import { port } from "../../dsl/shape.ts"

/** Polar-decomposition Newton steps U <- (U + U^-T) / 2 (from singular value 0.1, 6 steps reach 1 +- 1e-5). */
export const polarSteps = 6

/**
 * Each Gaussian's orientation carried to the camera frame by its point's skinning: the rotation of
 * R_cam * polar(sum_j w_j T_j[:3, :3]) * R(q), as a unit quaternion (w, x, y, z) with w >= 0.
 * R_cam is the 3x3 part of `matrix` (world to camera); polar(.) is the rotation factor of the
 * blended 3x3 (a blend of rotations is not a rotation), by `polarSteps` Newton steps.
 */
export const skinRotationsSpec = defineOp({
  name: "skinRotations",
  doc: "Gaussian orientations carried by their point's LBS rotation and the camera: quat(R_cam polar(sum_j w_j R_j) R(q))",
  inputs: ["rotations", "weights", "transforms", "matrix"],
  outputs: ["out"],
  differentiable: ["rotations", "transforms", "matrix"],
  signature: (_attrs: Record<string, never>) => ({
    inputs: { rotations: port(["N", 4]), weights: port(["N", "J"]), transforms: port(["B", "J", 4, 4]), matrix: port([4, 4]) },
    outputs: { out: port(["B", "N", 4]) }
  })
})
