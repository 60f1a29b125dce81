/** Runs gavatar's main in this process and collects what it prints. */
import { main } from "../../src/cli/commands.ts"

export interface Outcome {
  readonly code: number
  readonly out: ReadonlyArray<string>
  readonly err: ReadonlyArray<string>
}

export const gavatar = async (...argv: ReadonlyArray<string>): Promise<Outcome> => {
  const out: string[] = []
  const err: string[] = []
  const { log, error } = console
  console.log = (...parts: unknown[]) => void out.push(...parts.join(" ").split("\n"))
  console.error = (...parts: unknown[]) => void err.push(...parts.join(" ").split("\n"))
  try {
    return { code: await main(argv), out, err }
  } finally {
    console.log = log
    console.error = error
  }
}
