/**
 * Progress events of a run and the services that show them: a one-line bar
 * redrawn in place (TTY), a log line every N steps, silence, or a collector
 * for tests. Each is a Layer of the Progress service.
 */
import { Context, Effect, Layer } from "effect"

export type ProgressEvent =
  | { readonly _tag: "Started"; readonly graph: string; readonly totalSteps: number; readonly startStep: number; readonly backend: string }
  | {
      readonly _tag: "Step"
      readonly step: number
      readonly epoch: number
      readonly totalSteps: number
      readonly total: number
      readonly losses: Readonly<Record<string, number>>
      readonly metrics: Readonly<Record<string, number>>
      readonly stepsPerSecond: number
    }
  | { readonly _tag: "Checkpoint"; readonly file: string; readonly step: number }
  | { readonly _tag: "Finished"; readonly step: number; readonly seconds: number }
  /** Something the user should know that does not stop the run (e.g. a damaged checkpoint passed over). */
  | { readonly _tag: "Warning"; readonly message: string }

export interface ProgressSink {
  readonly emit: (event: ProgressEvent) => Effect.Effect<void>
}

export class Progress extends Context.Tag("gavatar/Progress")<Progress, ProgressSink>() {}

const fmt = (v: number): string => (Math.abs(v) >= 100 || v === 0 ? v.toFixed(1) : v.toPrecision(4))

export const formatStep = (e: Extract<ProgressEvent, { _tag: "Step" }>): string => {
  const metrics = Object.entries(e.metrics).map(([k, v]) => `${k} ${fmt(v)}`)
  const losses = Object.entries(e.losses).map(([k, v]) => `${k} ${fmt(v)}`)
  return [`step ${e.step + 1}/${e.totalSteps}`, `epoch ${e.epoch + 1}`, `loss ${fmt(e.total)}`, ...metrics, `(${losses.join(", ")})`, `${e.stepsPerSecond.toFixed(2)} it/s`].join("  ")
}

const describeEvent = (e: Exclude<ProgressEvent, { _tag: "Step" }>): string => {
  switch (e._tag) {
    case "Started":
      return `training ${e.graph} on ${e.backend}: ${e.totalSteps} steps${e.startStep > 0 ? `, resuming at step ${e.startStep + 1}` : ""}`
    case "Checkpoint":
      return `checkpoint at step ${e.step}: ${e.file}`
    case "Finished":
      return `finished at step ${e.step} in ${e.seconds.toFixed(1)} s`
    case "Warning":
      return `warning: ${e.message}`
  }
}

/** A line per `every` steps (and the last step) on stderr. */
export const ProgressLog = (every = 10): Layer.Layer<Progress> =>
  Layer.succeed(Progress, {
    emit: (e) =>
      Effect.sync(() => {
        if (e._tag === "Step") {
          if ((e.step + 1) % every === 0 || e.step + 1 === e.totalSteps) console.error(formatStep(e))
        } else if (e._tag !== "Checkpoint" || e.step % every === 0) console.error(describeEvent(e))
      })
  })

const bar = (fraction: number, width = 24): string => {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width)
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`
}

/** A bar redrawn in place on a terminal; falls back to a log line every 10 steps when stderr is not a TTY. */
export const ProgressBar: Layer.Layer<Progress> = Layer.suspend(() =>
  process.stderr.isTTY
    ? Layer.sync(Progress, () => {
        let lastCheckpoint = ""
        return {
          emit: (e) =>
            Effect.sync(() => {
              if (e._tag === "Checkpoint") lastCheckpoint = `  saved @${e.step}`
              else if (e._tag !== "Step") process.stderr.write(`\r\x1b[K${describeEvent(e)}\n`)
              else {
                const eta = (e.totalSteps - e.step - 1) / Math.max(e.stepsPerSecond, 1e-9)
                process.stderr.write(`\r\x1b[K${bar((e.step + 1) / e.totalSteps)} ${formatStep(e)}  eta ${eta.toFixed(0)} s${lastCheckpoint}`)
              }
            })
        }
      })
    : ProgressLog(10)
)

export const ProgressSilent: Layer.Layer<Progress> = Layer.succeed(Progress, { emit: () => Effect.void })

/** Collects events into the given array (tests). */
export const ProgressCollect = (events: ProgressEvent[]): Layer.Layer<Progress> =>
  Layer.succeed(Progress, { emit: (e) => Effect.sync(() => void events.push(e)) })
