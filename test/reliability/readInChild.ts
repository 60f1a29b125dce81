/**
 * Runs readers on files in a process of their own, so that a test can bound their memory
 * (`--max-old-space-size`, and the peak resident size printed here) and their time (a timeout):
 *   node --import tsx test/reliability/readInChild.ts PLAN.json
 * PLAN.json: [{ name, reader, file, argument? }]. For each entry, in order, prints one JSON line
 * { name, ok, message, maxRssMB, ms } (message: the one-line error, or what was read); a reader
 * that hangs or crashes the process leaves the lines of the entries before it.
 */
import { Effect } from "effect"
import { readFileSync } from "node:fs"
import { readImage } from "../../src/io/image.ts"
import { readNpz } from "../../src/io/npz.ts"
import { readPickle } from "../../src/io/pickle.ts"
import { readTorch } from "../../src/io/torch.ts"
import { readMotion } from "../../src/motion/read.ts"
import type { ReaderKind } from "./hostile.ts"

export interface PlanEntry {
  readonly name: string
  readonly reader: ReaderKind
  readonly file: string
  readonly argument?: string
}

export interface ReadOutcome {
  readonly name: string
  readonly ok: boolean
  readonly message: string
  /** The process's peak resident size so far. */
  readonly maxRssMB: number
  readonly ms: number
}

const describe = (value: unknown): string => (Array.isArray(value) ? `a list of ${value.length}` : value instanceof Map ? `a dict of ${value.size}` : typeof value)

const readers: Readonly<Record<ReaderKind, (file: string, argument: string | undefined) => Effect.Effect<string, { readonly message: string }>>> = {
  pickle: (file) => Effect.map(readPickle(file), describe),
  torch: (file) => Effect.map(readTorch(file), describe),
  npz: (file) => Effect.flatMap(readNpz(file), (npz) => Effect.map(Effect.forEach(npz.keys, npz.get), (arrays) => `${arrays.length} arrays`)),
  "npz-key": (file, key) => Effect.flatMap(readNpz(file), (npz) => Effect.map(npz.get(key ?? ""), (a) => `[${a.shape.join(", ")}]`)),
  image: (file) => Effect.map(readImage(file), (image) => `${image.width}x${image.height}`),
  // A pose file (.npz / .pth) needs no skeleton (only BVH files are retargeted onto one).
  poses: (file) => Effect.map(readMotion(file, { fps: 30, skeleton: { parents: [], restJoints: new Float64Array(0) } }), (motion) => `${motion.frames} frames`)
}

const plan = JSON.parse(readFileSync(process.argv[2] as string, "utf8")) as ReadonlyArray<PlanEntry>
for (const entry of plan) {
  const began = performance.now()
  const outcome = await Effect.runPromise(Effect.either(readers[entry.reader](entry.file, entry.argument)))
  const result: ReadOutcome = {
    name: entry.name,
    ok: outcome._tag === "Right",
    message: outcome._tag === "Right" ? outcome.right : outcome.left.message,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    ms: performance.now() - began
  }
  console.log(JSON.stringify(result))
}
