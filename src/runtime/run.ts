/**
 * run(graph, dataset, options): an Effect that trains a graph and yields its
 * trained state. Needs the Backend, Ops and Progress services (see
 * runPromise for a plain-Promise form with default layers); `graph` may also be a graph
 * builder (src/graphs/builder.ts), built from the dataset first. Resumes from
 * options.checkpointDir, writes checkpoints atomically, and on interruption
 * or failure keeps the last good checkpoint.
 */
import { Effect, Option } from "effect"
import type { Dataset, Sample } from "../data/dataset.ts"
import type { AnyGraph } from "../dsl/graph.ts"
import type { GraphBuilder } from "../graphs/builder.ts"
import { isGraphBuilder } from "../graphs/builder.ts"
import { Ops } from "../ops/registry.ts"
import { Backend } from "./backend.ts"
import { checkpointFile, hasCheckpoint, readLatestCheckpoint, removeOrphans, setAsideDamaged, writeCheckpoint } from "./checkpointFiles.ts"
import type { Compiled } from "./execute.ts"
import { compile } from "./execute.ts"
import { NonFinite } from "./errors.ts"
import type { DimBindings } from "./inputs.ts"
import { checkSample } from "./inputs.ts"
import type { AdamState } from "./optimizer.ts"
import { createAdam, disposeAdam } from "./optimizer.ts"
import type { RunOptions, RunOptionsInput } from "./options.ts"
import { decodeRunOptions } from "./options.ts"
import type { ParamStore } from "./params.ts"
import { createParams, disposeParams, seedParams } from "./params.ts"
import { Progress } from "./progress.ts"
import type { Rng } from "../math/rng.ts"
import { createRng, mixSeed, permutation } from "../math/rng.ts"
import { restore, snapshot } from "./snapshot.ts"
import type { TrainedState } from "./state.ts"
import { hostParams } from "./state.ts"
import { trainStep } from "./step.ts"

export { checkpointFile } from "./checkpointFiles.ts"

interface Live {
  readonly compiled: Compiled
  readonly store: ParamStore
  readonly adam: AdamState
  readonly rng: Rng
  readonly options: RunOptions
  /** The step of the checkpoint on disk (undefined: none yet), named when a later write fails. */
  saved: number | undefined
}

/** Frames of one step: a seeded order per epoch, so a resumed run draws the same batches. */
const batchFrames = (dataset: Dataset, options: RunOptions, step: number, stepsPerEpoch: number): ReadonlyArray<number> => {
  const epoch = Math.floor(step / stepsPerEpoch)
  const order = options.shuffle ? permutation(dataset.size, createRng(mixSeed(options.seed, epoch))) : Array.from({ length: dataset.size }, (_, i) => i)
  const k = step % stepsPerEpoch
  return order.slice(k * options.batchSize, (k + 1) * options.batchSize)
}

const saveCheckpoint = (live: Live, step: number, epoch: number, history: TrainedState["history"]) =>
  Effect.gen(function* () {
    const dir = live.options.checkpointDir
    if (!dir) return Option.none<string>()
    const file = checkpointFile(dir)
    const header = { graph: live.compiled.checked.graph.name, step, epoch, seed: live.options.seed, rngState: live.rng.state(), history }
    const checkpoint = yield* Effect.promise(() => snapshot(live.store, live.adam, header))
    yield* writeCheckpoint(file, checkpoint, live.saved)
    live.saved = step
    yield* (yield* Progress).emit({ _tag: "Checkpoint", file, step })
    return Option.some(file)
  })

/**
 * The step to start from and the loss history so far (step 0 and none without a checkpoint). Temporary
 * files of killed runs are removed first; a damaged latest checkpoint is reported, moved aside, and
 * the previous one resumed from.
 */
const resume = (live: Live) =>
  Effect.gen(function* () {
    const fresh = { step: 0, history: [] as TrainedState["history"] }
    const dir = live.options.checkpointDir
    if (!dir) return fresh
    removeOrphans(dir)
    const found = yield* readLatestCheckpoint(dir)
    if (Option.isNone(found)) return fresh
    const { checkpoint, file, refused } = found.value
    if (refused) {
      yield* (yield* Progress).emit({ _tag: "Warning", message: `${refused.message}; resuming from the previous checkpoint ${file} (step ${checkpoint.header.step})` })
      setAsideDamaged(dir)
    }
    yield* restore(file, checkpoint, live.store, live.adam, live.rng)
    live.saved = checkpoint.header.step
    return { step: checkpoint.header.step, history: checkpoint.header.history }
  })

const loadBatch = (dataset: Dataset, graph: AnyGraph, frames: ReadonlyArray<number>, bindings: DimBindings) =>
  Effect.forEach(frames, (f) => Effect.tap(dataset.sample(f), (s: Sample) => checkSample(graph, dataset.name, s, bindings)))

const train = <G extends AnyGraph>(graph: G, dataset: Dataset, input: RunOptionsInput) =>
  Effect.scoped(
    Effect.gen(function* () {
      const options = yield* decodeRunOptions(input)
      const progress = yield* Progress
      const backend = yield* Backend
      const compiled = yield* compile(graph, yield* Ops, backend.target)
      const rng = createRng(options.seed)
      const store = yield* Effect.acquireRelease(createParams(graph, dataset, rng, options.constants), (s) => Effect.sync(() => disposeParams(s)))
      if (options.initFrom) seedParams(store, options.initFrom)
      const adam = yield* Effect.acquireRelease(Effect.sync(() => createAdam(store)), (a) => Effect.sync(() => disposeAdam(a)))
      const live: Live = { compiled, store, adam, rng, options, saved: undefined }
      const stepsPerEpoch = Math.ceil(dataset.size / options.batchSize)
      const totalSteps = Math.min(options.epochs * stepsPerEpoch, options.maxSteps ?? Number.POSITIVE_INFINITY)
      const resumed = yield* resume(live)
      const startStep = resumed.step
      yield* progress.emit({ _tag: "Started", graph: graph.name, totalSteps, startStep, backend: `${backend.name} (${backend.detail})` })
      const bindings: DimBindings = new Map()
      const history: Array<TrainedState["history"][number]> = [...resumed.history]
      const began = performance.now()
      let done = startStep
      const every = options.checkpointEvery ?? stepsPerEpoch
      const body = Effect.gen(function* () {
        for (let step = startStep; step < totalSteps; step++) {
          const epoch = Math.floor(step / stepsPerEpoch)
          const t0 = performance.now()
          const samples = yield* loadBatch(dataset, graph, batchFrames(dataset, options, step, stepsPerEpoch), bindings)
          const result = yield* trainStep(compiled, store, adam, samples, { epoch, iteration: step })
          done = step + 1
          history.push({ step, total: result.total })
          const stepsPerSecond = 1000 / Math.max(performance.now() - t0, 1e-3)
          yield* progress.emit({ _tag: "Step", step, epoch, totalSteps, total: result.total, losses: result.losses, metrics: result.metrics, stepsPerSecond })
          if (done % every === 0 && done < totalSteps) yield* saveCheckpoint(live, done, Math.floor(done / stepsPerEpoch), history)
        }
      })
      // Interrupted (e.g. Ctrl-C): keep the finished steps.
      yield* body.pipe(
        Effect.onInterrupt(() => Effect.ignore(saveCheckpoint(live, done, Math.floor(done / stepsPerEpoch), history))),
        Effect.mapError((e) => (e._tag === "NonFinite" && options.checkpointDir && hasCheckpoint(options.checkpointDir) ? new NonFinite({ ...e, checkpoint: checkpointFile(options.checkpointDir) }) : e))
      )
      if (done > startStep) yield* saveCheckpoint(live, done, Math.floor(done / stepsPerEpoch), history)
      yield* progress.emit({ _tag: "Finished", step: done, seconds: (performance.now() - began) / 1000 })
      const host = yield* Effect.promise(() => hostParams(store))
      const state: TrainedState<G> = { graph, step: done, epoch: Math.floor(done / stepsPerEpoch), ...host, constants: options.constants, history }
      return state
    })
  )

/**
 * Train `graph` on `dataset`. A graph builder (e.g. graphs.stage1) first builds the graph and its
 * constants from the dataset; its options (a preset's epochs, batch size, checkpoint cadence) apply
 * unless `input` gives them, and its constants are merged under `input.constants`.
 */
export const run = <G extends AnyGraph, E = never>(graph: G | GraphBuilder<G, E>, dataset: Dataset, input: RunOptionsInput = {}) =>
  isGraphBuilder(graph)
    ? Effect.flatMap(graph.build(dataset), (built) => train(built.graph, dataset, { ...built.options, ...input, constants: { ...built.constants, ...input.constants } }))
    : train(graph, dataset, input)
