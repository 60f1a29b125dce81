/**
 * `gavatar <command>`: train, eval, render (src/cli/main.ts calls main with the process's arguments).
 * Exit codes: 0 done, 1 the command failed (one line naming the file and the problem), 2 wrong
 * arguments (one line, then the usage).
 */
import { Effect, Layer } from "effect"
import { BuiltinOps } from "../ops/registry.ts"
import type { BackendName } from "../runtime/backend.ts"
import { BackendLive } from "../runtime/backend.ts"
import { ProgressBar } from "../runtime/progress.ts"
import type { Parsed } from "./args.ts"
import { parseEval, parseRender, parseTrain } from "./args.ts"
import { evaluate } from "./evaluate.ts"
import { render } from "./render.ts"
import { train } from "./train.ts"
import { EVAL_USAGE, MAIN_USAGE, RENDER_USAGE, TRAIN_USAGE } from "./usage.ts"

/** A command: its usage, and its arguments parsed into the Effect that carries it out (layers provided). */
interface Command {
  readonly usage: string
  readonly prepare: (argv: ReadonlyArray<string>) => Parsed<Effect.Effect<unknown, { readonly message: string }>>
}

const layers = (backend: BackendName) => Layer.mergeAll(BackendLive(backend), BuiltinOps, ProgressBar)

type Services = Layer.Layer.Success<ReturnType<typeof layers>>

const command = <A extends { readonly backend: BackendName }, E extends { readonly message: string }>(
  usage: string,
  parse: (argv: ReadonlyArray<string>) => Parsed<A>,
  effect: (args: A) => Effect.Effect<unknown, E, Services>
): Command => ({
  usage,
  prepare: (argv) => {
    const parsed = parse(argv)
    return parsed._tag === "Ok" ? { _tag: "Ok", value: effect(parsed.value).pipe(Effect.provide(layers(parsed.value.backend))) } : parsed
  }
})

const commands: Readonly<Record<string, Command>> = {
  train: command(TRAIN_USAGE, parseTrain, train),
  eval: command(EVAL_USAGE, parseEval, evaluate),
  render: command(RENDER_USAGE, parseRender, render)
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
  const result = await Effect.runPromise(Effect.either(parsed.value))
  if (result._tag === "Right") return 0
  console.error(`gavatar ${name}: ${result.left.message}`)
  return 1
}
