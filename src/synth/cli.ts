/**
 * npm run synth -- --out DIR [--frames N --size S --noise DEG,CM ...]
 * Generates the synthetic dataset (src/synth/generate.ts) and writes it (src/synth/write.ts).
 * Run directly: npx tsx src/synth/cli.ts --out DIR
 */
import { Effect } from "effect"
import { openBody } from "../body/openBody.ts"
import { synthesize } from "./generate.ts"
import { parseOptions, USAGE } from "./options.ts"
import { writeSynthetic } from "./write.ts"

const seconds = (since: number): string => `${((performance.now() - since) / 1000).toFixed(1)} s`

const main = async (): Promise<number> => {
  const parsed = parseOptions(process.argv.slice(2))
  if (parsed._tag === "Help") {
    console.log(USAGE)
    return 0
  }
  if (parsed._tag === "Invalid") {
    console.error(`${parsed.reason}\n${USAGE}`)
    return 2
  }
  const { out, options } = parsed
  let t = performance.now()
  const body = openBody()
  console.log(`body: ${body.vertexCount} vertices, ${body.faces.length / 3} faces (${seconds(t)})`)
  t = performance.now()
  const synthetic = synthesize(body, options)
  console.log(`rendered ${synthetic.splits.map((s) => `${s.frames.length} ${s.name}`).join(", ")} frames at ${options.size}x${options.size} (${seconds(t)})`)
  t = performance.now()
  const written = await Effect.runPromise(Effect.either(writeSynthetic(out, synthetic)))
  if (written._tag === "Left") {
    console.error(written.left.message)
    return 1
  }
  console.log(`wrote ${out} (${seconds(t)})`)
  return 0
}

process.exitCode = await main()
