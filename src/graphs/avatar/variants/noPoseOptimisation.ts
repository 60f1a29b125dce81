/**
 * Variant "no pose optimisation": the per-frame body pose and translation (params "pose" and
 * "transl", started from the dataset's body fit) are frozen, so the avatar is fitted to the given
 * poses as they are. Stage 2 already freezes them; this matters for stage 1.
 */
import { freeze, keepsNames, rename } from "../../../dsl/edit.ts"
import type { Having } from "../../../dsl/graph.ts"

export const noPoseOptimisation = <G extends Having<never, "pose" | "transl">>(graph: G): G =>
  keepsNames(graph, rename(freeze(freeze(graph, "pose"), "transl"), `${graph.name}.noPoseOptimisation`))
