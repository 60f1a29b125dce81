/**
 * graphs.render: a trained avatar graph (stage 1 or stage 2) for inference in any pose and from any
 * camera, made by typed edits: the per-frame pose and translation params give way to per-sample
 * inputs `pose` [72] and `transl` [3] (a split's body fit, or any pose sequence), read by bodyForward;
 * the priors and a pose trajectory's knots go with them.
 */
import { SMPL_PARENTS } from "../../body/model.ts"
import { addInput, addNode, dropParam, rename, replaceNode } from "../../dsl/edit.ts"
import type { AnyGraph } from "../../dsl/graph.ts"
import { input, node, out, param } from "../../dsl/graph.ts"
import { port } from "../../dsl/shape.ts"
import { specs } from "../../ops/specs.ts"
import type { Stage1Config } from "./config.ts"
import { withoutPosePriors } from "./poseRefinement.ts"
import { withoutTrajectory } from "./poseTrajectory.ts"
import { stage1 } from "./stage1.ts"

const J = SMPL_PARENTS.length


/**
 * The graph's node "body" (bodyForward of the per-frame params "pose" and "transl", with betas from node
 * "betasBatch") reads per-sample inputs instead; typecheck() reports a graph without those names.
 */
export const renderOf = (graph: AnyGraph): AnyGraph => {
  const withInputs = addInput(addInput(withoutTrajectory(withoutPosePriors(graph)), "pose", port([3 * J])), "transl", port([3]))
  const reshaped = addNode(
    addNode(withInputs, "poseBatch", node(specs.reshape, { x: input("pose") }, { from: [3 * J], to: [1, J, 3] })),
    "translBatch",
    node(specs.reshape, { x: input("transl") }, { from: [3], to: [1, 3] })
  )
  const posed = replaceNode(
    reshaped,
    "body",
    node(
      specs.bodyForward,
      { betas: out("betasBatch"), pose: out("poseBatch"), transl: out("translBatch"), vTemplate: param("vTemplate"), shapeDirs: param("shapeDirs"), jRegressor: param("jRegressor"), weights: param("skinWeights") },
      { parents: SMPL_PARENTS }
    )
  )
  return rename(dropParam(dropParam(posed, "pose"), "transl"), `${graph.name}.render`)
}

/** Stage 1 for rendering. */
export const render = (c: Stage1Config) => renderOf(stage1(c))
