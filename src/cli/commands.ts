/**
 * `gavatar <command>`: prepare, train, eval, render, export, view (src/cli/main.ts calls main with the process's arguments).
 * Exit codes: 0 done, 1 the command failed (one line naming the file and the problem), 2 wrong
 * arguments (one line, then the usage), 130 interrupted by Ctrl-C.
 */
import { Cause, Effect, Exit, Fiber, Layer, Option } from "effect"
import { BuiltinOps } from "../ops/registry.ts"
import type { BackendName, BackendOptions } from "../runtime/backend.ts"
import { BackendLive } from "../runtime/backend.ts"
import { ProgressBar } from "../runtime/progress.ts"
import type { Parsed } from "./args.ts"
import { parseEval, parseExport, parseRender, parseTrain, parseView } from "./args.ts"
import { evaluate } from "./evaluate.ts"
import { exportCommand } from "./export.ts"
import { parsePrepare, prepare } from "./prepare.ts"
import { render } from "./render.ts"
import { train } from "./train.ts"
import { view } from "./view.ts"
import { EVAL_USAGE, EXPORT_USAGE, MAIN_USAGE, PREPARE_USAGE, RENDER_USAGE, TRAIN_USAGE, VIEW_USAGE } from "./usage.ts"

/** A command: its usage, what Ctrl-C means for it, and its arguments parsed into the Effect that carries it out (layers provided). */
interface Command {
  readonly usage: string
  readonly onInterrupt: string
  readonly prepare: (argv: ReadonlyArray<string>) => Parsed<Effect.Effect<unknown, { readonly message: string }>>
}

const layers = (backend: BackendName, options: BackendOptions = {}) => Layer.mergeAll(BackendLive(backend, options), BuiltinOps, ProgressBar)

type Services = Layer.Layer.Success<ReturnType<typeof layers>>

const command = <A extends { readonly backend: BackendName }, E extends { readonly message: string }>(
  usage: string,
  onInterrupt: string,
  parse: (argv: ReadonlyArray<string>) => Parsed<A>,
  effect: (args: A) => Effect.Effect<unknown, E, Services>,
  backendOptions: BackendOptions = {}
): Command => ({
  usage,
  onInterrupt,
  prepare: (argv) => {
    const parsed = parse(argv)
    return parsed._tag === "Ok" ? { _tag: "Ok", value: effect(parsed.value).pipe(Effect.provide(layers(parsed.value.backend, backendOptions))) } : parsed
  }
})

const commands: Readonly<Record<string, Command>> = {
  prepare: command(PREPARE_USAGE, "interrupted", parsePrepare, prepare),
  // The decoder's layers (most of a step's network time) split their rows over two threads.
  train: command(TRAIN_USAGE, "interrupted (a training run keeps its last checkpoint)", parseTrain, train, { networkThreads: 2 }),
  // Rendering many frames: the rasteriser's second thread takes half the tiles (the output worker
  // writes the previous frame's PNGs meanwhile, so both cores stay busy).
  eval: command(EVAL_USAGE, "interrupted", parseEval, evaluate, { rasterThreads: 2, networkThreads: 2 }),
  render: command(RENDER_USAGE, "interrupted", parseRender, render, { rasterThreads: 2, networkThreads: 2 }),
  export: command(EXPORT_USAGE, "interrupted", parseExport, exportCommand),
  view: command(VIEW_USAGE, "server stopped", parseView, view)
}

/** Runs `gavatar` with these arguments; resolves to the exit code. */
export const main = async (argv: ReadonlyArray<string>): Promise<number> => {
  const [name, ...rest] = argv
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(MAIN_USAGE)
    return name === undefined ? 2 : 0
  }
  const chosen = commands[name]
  if (!chosen) {
    console.error(`gavatar: unknown command "${name}"\n${MAIN_USAGE}`)
    return 2
  }
  const parsed = chosen.prepare(rest)
  if (parsed._tag === "Help") {
    console.log(chosen.usage)
    return 0
  }
  if (parsed._tag === "Invalid") {
    console.error(`gavatar ${name}: ${parsed.reason}\n${chosen.usage}`)
    return 2
  }
  return execute(name, chosen.onInterrupt, parsed.value)
}

/** Runs a command's Effect; Ctrl-C interrupts it (training saves a checkpoint first), says what that meant, and exits with 130. */
const execute = async (name: string, onInterrupt: string, effect: Effect.Effect<unknown, { readonly message: string }>): Promise<number> => {
  const fiber = Effect.runFork(effect)
  const interrupt = () => {
    console.error(`gavatar ${name}: ${onInterrupt}`)
    Effect.runFork(Fiber.interrupt(fiber))
  }
  process.once("SIGINT", interrupt)
  const exit = await Effect.runPromise(Fiber.await(fiber)).finally(() => process.off("SIGINT", interrupt))
  if (Exit.isSuccess(exit)) return 0
  if (Exit.isInterrupted(exit)) return 130
  const failure = Cause.failureOption(exit.cause)
  console.error(`gavatar ${name}: ${Option.isSome(failure) ? failure.value.message : Cause.pretty(exit.cause)}`)
  return 1
}
