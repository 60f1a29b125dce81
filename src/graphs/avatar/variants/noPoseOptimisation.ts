/**
 * Variant "no pose optimisation": the per-frame body pose and translation (params "pose" and
 * "transl", started from the dataset's body fit) are frozen, so the avatar is fitted to the given
 * poses as they are. Stage 2 already freezes them; this matters for stage 1.
 */
import { freeze, rename } from "../../../dsl/edit.ts"
import type { AnyGraph } from "../../../dsl/graph.ts"

export const noPoseOptimisation = (graph: AnyGraph): AnyGraph => rename(freeze(freeze(graph, "pose"), "transl"), `${graph.name}.noPoseOptimisation`)
