/**
 * npm run bench -- <name> [--json]
 * Benchmarks print human-readable lines and, with --json, one final JSON line of figures.
 */
import { parseArgs } from "node:util"

export interface BenchArgs {
  readonly json: boolean
  /** Arguments after the benchmark's name, for the benchmark to parse. */
  readonly rest: ReadonlyArray<string>
}

type Bench = { readonly run: (args: BenchArgs) => Promise<void> }

const benches: Record<string, () => Promise<Bench>> = {
  body: () => import("./body.ts"),
  dense: () => import("./dense.ts"),
  faults: () => import("./faults.ts"),
  memory: () => import("./memory.ts"),
  prepare: () => import("./prepare.ts"),
  poseopt: () => import("./poseopt.ts"),
  posegrad: () => import("./poseGradient.ts"),
  raster: () => import("./raster.ts"),
  render: () => import("./render.ts"),
  step: () => import("./step.ts"),
  train: () => import("./train.ts"),
  view: () => import("./view.ts")
}

const { positionals, values } = parseArgs({ allowPositionals: true, strict: false, options: { json: { type: "boolean", default: false } } })
const [name] = positionals
/** Everything after the benchmark's name except --json, for the benchmark's own options (e.g. --backend webgpu). */
const rest = name ? process.argv.slice(process.argv.indexOf(name) + 1).filter((a) => a !== "--json") : []
const load = name ? benches[name] : undefined
if (!load) {
  console.error(`usage: npm run bench -- <${Object.keys(benches).join("|")}> [--json]`)
  process.exit(2)
}
await (await load()).run({ json: values.json === true, rest })
