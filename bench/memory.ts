/**
 * npm run bench -- memory [--json] [--configs quick,paper] [--stages 1,2] [--steps 2]
 * Memory of a training step per configuration (bench/memoryCases.ts: issue 16's table, the quick
 * preset at 256x256, Q512 at the quick widths) and stage, each in its own process
 * (bench/memoryChild.ts) so that peaks do not mix: peak RSS, the WebAssembly heap, the peak of live
 * tensor bytes, tfjs's numBytes peak, the top 10 graph nodes by bytes kept for the backward pass
 * (Adam's moments among them), bytes per Gaussian and per pixel, the step time, each beside its
 * target. Then per stage the linear fit of the heap to Gaussians, decoder width, pixels and feature
 * tensor (src/avatar/memoryEstimate.ts's model), its residuals, and the estimate of the
 * coefficients in src/ beside each measurement.
 */
import { spawnSync } from "node:child_process"
import { parseArgs } from "node:util"
import { openBody } from "../src/body/openBody.ts"
import { estimateMemory, heapModel, memoryRegressors, regressorNames, rssOverHeap } from "../src/avatar/memoryEstimate.ts"
import { DEFAULT_OPTIONS } from "../src/synth/generate.ts"
import type { BenchArgs } from "./main.ts"
import type { Configuration, MemoryCase, MemoryFigures } from "./memoryCases.ts"
import { configurations, memoryDataDir } from "./memoryCases.ts"
import { nonNegativeLeastSquares } from "./memoryFit.ts"
import { ensureSynthetic } from "./synthData.ts"

const gb = (bytes: number): string => `${(bytes / 1e9).toFixed(2)} GB`
const kb = (bytes: number): string => `${(bytes / 1e3).toFixed(1)} KB`

const runChild = (c: MemoryCase): MemoryFigures => {
  const child = spawnSync(process.execPath, [...process.execArgv, "bench/memoryChild.ts", JSON.stringify(c)], { encoding: "utf8", maxBuffer: 64 * 2 ** 20 })
  const last = child.stdout.trim().split("\n").pop() ?? ""
  try {
    return JSON.parse(last) as MemoryFigures
  } catch {
    const reason = `child exited with ${child.status ?? child.signal}: ${(child.stderr || child.stdout).trim().split("\n").slice(-3).join(" | ")}`
    return { ...c, gaussians: 0, pixels: c.imageSize ** 2, ok: false, error: reason, beforeRssBytes: 0, beforeHeapBytes: 0, peakRssBytes: 0, heapBytes: 0, livePeakBytes: 0, numBytesPeak: 0, paramBytes: 0, adamBytes: 0, savedBytes: 0, top: [], stepMs: [], stepCpuMs: [] }
  }
}

const seconds = (ms: ReadonlyArray<number>): string => `${((ms[ms.length - 1] ?? 0) / 1000).toFixed(1)} s`

const gib = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(2)} GiB`

const beside = (value: number, bound: number | undefined, show: (b: number) => string = gb): string => (bound === undefined ? "" : ` (target <= ${show(bound)}: ${value <= bound ? "met" : "NOT met"})`)

const report = (f: MemoryFigures, config: Configuration): void => {
  const { querySize: q, featureSize: fs, channels, hidden } = f.sizes
  console.log(`${config.label} stage ${f.stage}: query ${q} / feature ${fs} / ${channels} channels / decoder ${hidden}, batch ${f.batch}, ${f.imageSize}x${f.imageSize}; ${f.gaussians} Gaussians`)
  if (!f.ok) return console.log(`  FAILED (target: trains): ${f.error}`)
  console.log(`  trains (target: trains); step ${seconds(f.stepMs)} wall, ${seconds(f.stepCpuMs)} CPU (the last of ${f.stepMs.length} steps; machine under load)`)
  console.log(`  peak RSS ${gb(f.peakRssBytes)}${beside(f.peakRssBytes, config.target.rssBytes)}; WebAssembly heap ${gb(f.heapBytes)} = ${gib(f.heapBytes)}${beside(f.heapBytes, config.target.heapBytes, gib)}`)
  console.log(`  live tensors peak ${gb(f.livePeakBytes)}, tfjs numBytes peak ${gb(f.numBytesPeak)} (counts views again); before the first step: RSS ${gb(f.beforeRssBytes)}, heap ${gb(f.beforeHeapBytes)}`)
  const above = f.heapBytes - f.beforeHeapBytes
  console.log(`  heap grown by the step: ${kb(above / Math.max(f.gaussians, 1))} per Gaussian, or ${(above / f.pixels).toFixed(0)} B per pixel; kept for the backward pass ${gb(f.savedBytes)}, Adam ${gb(f.adamBytes)}, params ${gb(f.paramBytes)}`)
  const e = estimateMemory(f, [f.stage])
  console.log(`  estimate before the first step (src/avatar/memoryEstimate.ts): heap ${gib(e.heapBytes)} (measured ${gib(f.heapBytes)}), RSS ${gb(e.rssBytes)} (measured ${gb(f.peakRssBytes)})`)
  for (const [i, n] of f.top.entries()) console.log(`    ${i + 1}. ${n.node}: ${(n.bytes / 1e6).toFixed(1)} MB`)
}

interface StageFit {
  readonly stage: 1 | 2
  readonly coefficients: ReadonlyArray<number>
  readonly maxResidual: number
}

/** Heap = regressors · c over the stage's successful runs. */
const fitStage = (stage: 1 | 2, figures: ReadonlyArray<MemoryFigures>): StageFit | undefined => {
  const ok = figures.filter((f) => f.stage === stage && f.ok)
  if (ok.length < regressorNames.length + 1) return undefined
  const rows = ok.map((f) => memoryRegressors(f))
  const coefficients = nonNegativeLeastSquares(rows, ok.map((f) => f.heapBytes))
  const maxResidual = Math.max(...ok.map((f, i) => Math.abs(rows[i]!.reduce((s, x, j) => s + x * coefficients[j]!, 0) - f.heapBytes) / f.heapBytes))
  return { stage, coefficients, maxResidual }
}

const printFit = (fit: StageFit, figures: ReadonlyArray<MemoryFigures>): void => {
  console.log(`stage ${fit.stage} heap fit (linear in Gaussians and pixels above a base, coefficients >= 0; largest residual ${(100 * fit.maxResidual).toFixed(1)}% of a measurement):`)
  regressorNames.forEach((name, j) => console.log(`  ${name}: ${fit.coefficients[j]!.toFixed(j === 0 ? 0 : 2)} B (in src/avatar/memoryEstimate.ts: ${heapModel[fit.stage][j]!.toFixed(j === 0 ? 0 : 2)})`))
  const rss = figures.filter((f) => f.stage === fit.stage && f.ok).map((f) => f.peakRssBytes - f.heapBytes)
  console.log(`  RSS above the heap: ${gb(Math.min(...rss))} to ${gb(Math.max(...rss))} (src: ${gb(rssOverHeap)})`)
  for (const f of figures.filter((g) => g.stage === fit.stage && g.ok)) {
    const e = estimateMemory(f, [fit.stage])
    console.log(`  ${f.sizes.querySize}/${f.sizes.featureSize}/${f.sizes.channels}/${f.sizes.hidden} ${f.imageSize}px: heap ${gb(f.heapBytes)}, src estimate ${gb(e.heapBytes)}; RSS ${gb(f.peakRssBytes)}, src estimate ${gb(e.rssBytes)}`)
  }
}

export const run = async ({ json, rest }: BenchArgs): Promise<void> => {
  const { values } = parseArgs({ args: [...rest], options: { configs: { type: "string" }, stages: { type: "string", default: "1,2" }, steps: { type: "string", default: "2" } }, strict: true })
  const wanted = values.configs?.split(",")
  const chosen = configurations.filter((c) => !wanted || wanted.includes(c.label))
  const stages = String(values.stages).split(",").map(Number) as Array<1 | 2>
  const body = openBody()
  for (const size of new Set(chosen.map((c) => c.imageSize))) await ensureSynthetic(memoryDataDir(size), body, { ...DEFAULT_OPTIONS, frames: 2, size, testFrames: 1, novelPoseFrames: 1 })
  console.log(`memory bench: wasm backend, each configuration and stage in its own process, ${values.steps} steps each; machine under load from other processes (peaks are less sensitive to it than times)`)
  const figures: MemoryFigures[] = []
  for (const config of chosen)
    for (const stage of stages) {
      const f = runChild({ label: config.label, sizes: config.sizes, batch: config.batch, imageSize: config.imageSize, stage, steps: Number(values.steps) })
      figures.push(f)
      report(f, config)
    }
  const fits = ([1, 2] as const).map((stage) => fitStage(stage, figures)).filter((f): f is StageFit => f !== undefined)
  for (const fit of fits) printFit(fit, figures)
  if (json) console.log(JSON.stringify({ backend: "wasm", figures, fits, targets: Object.fromEntries(chosen.map((c) => [c.label, c.target])) }))
}
