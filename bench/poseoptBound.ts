/**
 * The bound of bench/poseopt.ts (--oracle): how far the poses come back from the noisy fit when the
 * appearance is already right. The avatar trained on the TRUE poses (poses frozen) is frozen in its
 * turn, and only the per-frame poses and translations are optimised from the fit, with the same rate
 * and pose prior. What this cannot recover, the images do not tell (twists about bones, a twist moved
 * along a chain, hands and toes a few pixels wide); joint training cannot be expected to do better.
 */
import { freeze, setGroup } from "../src/dsl/edit.ts"
import type { AnyGraph, ParamSpec } from "../src/dsl/graph.ts"
import type { Dataset, HostTensor } from "../src/data/dataset.ts"
import type { TrainedState } from "../src/runtime/index.ts"
import { runPromise } from "../src/runtime/index.ts"

const poseNames = new Set(["pose", "transl", "poseKnots", "translKnots"])

/** The graph with every trainable param frozen except the per-frame "pose" and "transl" (and a pose trajectory's knots). */
export const posesOnly = (graph: AnyGraph): AnyGraph =>
  Object.entries(graph.params as Record<string, ParamSpec>)
    .filter(([name, spec]) => !spec.frozen && !poseNames.has(name))
    .reduce((g, [name]) => freeze(g, name), graph)

/** Poses refined at `rate` from the first epoch, from the dataset's fit, against the appearance of `appearance` (its per-frame rows are not used). */
export const refineAgainst = (graph: AnyGraph, appearance: TrainedState, fit: Dataset, epochs: number, rate: number, constants: { readonly [key: string]: HostTensor }): Promise<TrainedState> =>
  runPromise(setGroup(posesOnly(graph), "pose", { lr: rate }), fit, { epochs, constants, progress: "silent", initFrom: { ...appearance, frameParams: {} } })
