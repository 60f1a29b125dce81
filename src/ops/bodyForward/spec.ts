import { defineOp } from "../../dsl/op.ts"
import { port } from "../../dsl/shape.ts"

export interface BodyForwardAttrs {
  /** Parent of each joint, -1 for the root; parents precede children (SMPL_PARENTS for SMPL-like bodies). */
  readonly parents: ReadonlyArray<number>
}

export const bodyForwardSpec = defineOp({
  name: "bodyForward",
  doc: "Shaped, posed and translated body: vertices, joints and skinning transforms from betas, axis-angle pose and translation",
  inputs: ["betas", "pose", "transl", "vTemplate", "shapeDirs", "jRegressor", "weights"],
  outputs: ["vertices", "joints", "transforms"],
  differentiable: ["betas", "pose", "transl"],
  signature: (attrs: BodyForwardAttrs) => {
    const j = attrs.parents.length
    return {
      inputs: {
        betas: port(["B", "K"]),
        pose: port(["B", j, 3]),
        transl: port(["B", 3]),
        vTemplate: port(["V", 3]),
        shapeDirs: port(["V", 3, "K"]),
        jRegressor: port([j, "V"]),
        weights: port(["V", j])
      },
      outputs: { vertices: port(["B", "V", 3]), joints: port(["B", j, 3]), transforms: port(["B", j, 4, 4]) }
    }
  }
})
