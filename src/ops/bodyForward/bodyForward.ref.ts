/**
 * Float64 reference of bodyForward (see bodyForward.ts for the math): plain
 * loops, one sample after another.
 */
import type { F64, Reference } from "../contract.ts"
import { bodyForward64 } from "../../body/forward64.ts"
import type { BodyForwardAttrs } from "./spec.ts"

export const bodyForwardReference: Reference<"betas" | "pose" | "transl" | "vTemplate" | "shapeDirs" | "jRegressor" | "weights", "vertices" | "joints" | "transforms", BodyForwardAttrs> = {
  forward: (inputs, attrs) => {
    const batch = inputs.pose.shape[0] as number
    const V = inputs.vTemplate.shape[0] as number
    const J = attrs.parents.length
    const out = bodyForward64(
      { vTemplate: inputs.vTemplate.data, shapeDirs: inputs.shapeDirs.data, jRegressor: inputs.jRegressor.data, weights: inputs.weights.data, parents: attrs.parents },
      inputs.betas.data,
      inputs.pose.data,
      inputs.transl.data,
      batch
    )
    const vertices: F64 = { shape: [batch, V, 3], data: out.vertices }
    const joints: F64 = { shape: [batch, J, 3], data: out.joints }
    const transforms: F64 = { shape: [batch, J, 4, 4], data: out.transforms }
    return { vertices, joints, transforms }
  }
}
