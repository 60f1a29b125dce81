/** What a finished run yields: params on the host, so it outlives the tfjs session that made it. */
import type { HostTensor } from "../data/dataset.ts"
import type { AnyGraph } from "../dsl/graph.ts"
import type { ParamStore } from "./params.ts"

export interface TrainedState<G extends AnyGraph = AnyGraph> {
  readonly graph: G
  readonly step: number
  readonly epoch: number
  /** Dense params by name. */
  readonly params: Readonly<Record<string, HostTensor>>
  /** Per-frame params by name, shape [frames, ...row]. */
  readonly frameParams: Readonly<Record<string, HostTensor>>
  /** Weighted total loss of every step, including those before a resume. */
  readonly history: ReadonlyArray<{ readonly step: number; readonly total: number }>
}

export const hostParams = async (store: ParamStore): Promise<Pick<TrainedState, "params" | "frameParams">> => {
  const params: Record<string, HostTensor> = {}
  for (const p of store.dense.values()) params[p.name] = { shape: p.shape, data: Float32Array.from((await p.variable.data()) as Float32Array) }
  const frameParams: Record<string, HostTensor> = {}
  for (const p of store.frames.values()) frameParams[p.name] = { shape: [p.frames, ...p.rowShape], data: Float32Array.from(p.table) }
  return { params, frameParams }
}
