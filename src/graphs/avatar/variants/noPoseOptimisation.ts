/**
 * Variant "no pose optimisation": the per-frame body pose and translation (params "pose" and
 * "transl") are frozen at the dataset's body fit as it is (not the fit smoothed along time that the
 * quick preset refines from: poseRefinement.ts), so the avatar is fitted to the given poses; the
 * priors that held the refined poses, constant now, and a pose trajectory (poseTrajectory.ts) are
 * dropped. Stage 2 already freezes the poses;
 * this matters for stage 1.
 */
import { keepsNames, rename, setParam } from "../../../dsl/edit.ts"
import type { AnyGraph, Having } from "../../../dsl/graph.ts"
import { fromDataset } from "../../../dsl/graph.ts"
import { withoutPosePriors } from "../poseRefinement.ts"
import { withoutTrajectory } from "../poseTrajectory.ts"

const frozenAtFit = (graph: AnyGraph, name: "pose" | "transl"): AnyGraph => setParam(graph, name, { frozen: true, init: fromDataset(name) })

export const noPoseOptimisation = <G extends Having<never, "pose" | "transl">>(graph: G): G =>
  keepsNames(graph, rename(frozenAtFit(frozenAtFit(withoutTrajectory(withoutPosePriors(graph)), "pose"), "transl"), `${graph.name}.noPoseOptimisation`))
