/**
 * The built-in example (the README's first command until the avatar demo
 * lands): train graphs.curveFit with run() on frames of a known curve, each
 * frame with a hidden offset learned as a per-frame param. Writes
 * loss.png (log scale), fit.png (data dots, fitted curve, true curve) and
 * summary.json to --out.
 *
 *   npx tsx examples/fit-curve.ts [--out DIR] [--epochs N] [--backend wasm|cpu|webgpu]
 */
import { Effect } from "effect"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { parseArgs } from "node:util"
import { graphs } from "../src/graphs/index.ts"
import { isBackendName, predictPromise, runPromise } from "../src/runtime/index.ts"
import { plot } from "../src/viz/plot.ts"
import { writePng } from "../src/viz/png.ts"
import { curveData, trueCurve } from "./curveData.ts"

const { values } = parseArgs({
  options: { out: { type: "string", default: "out/fit-curve" }, epochs: { type: "string", default: "150" }, backend: { type: "string", default: "wasm" } }
})
const backend = values.backend
if (!isBackendName(backend)) throw new Error(`--backend must be wasm, cpu or webgpu, got "${backend}"`)

const { dataset, offsets } = curveData()
const state = await runPromise(graphs.curveFit, dataset, { epochs: Number(values.epochs), batchSize: 2, backend, checkpointDir: join(values.out, "checkpoint") })

const history = state.history.map((h): readonly [number, number] => [h.step, h.total])
writePng(join(values.out, "loss.png"), plot([{ points: history, color: [200, 40, 40], style: "line" }], { logY: true }))

// The net's output bias and the per-frame offsets share one constant: compare offsets after removing their means.
const learned = Array.from(state.frameParams["offset"]?.data ?? [])
const mean = (a: ReadonlyArray<number>) => a.reduce((s, v) => s + v, 0) / a.length
const offsetError = Math.max(...learned.map((o, i) => Math.abs(o - mean(learned) - ((offsets[i] as number) - mean(offsets)))))

const frame0 = await Effect.runPromise(dataset.sample(0))
const xs = Array.from(frame0.tensors["x"]?.data ?? [])
const ys = Array.from(frame0.tensors["y"]?.data ?? [])
const predicted = await predictPromise(graphs.curveFit, state, frame0, { backend, progress: "silent" })
const fitted = Array.from(predicted["prediction"]?.data ?? [])
writePng(
  join(values.out, "fit.png"),
  plot([
    { points: xs.map((x, i): readonly [number, number] => [x, fitted[i] as number]), color: [200, 40, 40], style: "line" },
    { points: xs.map((x): readonly [number, number] => [x, trueCurve(x) + (offsets[0] as number)]), color: [40, 160, 40], style: "line" },
    { points: xs.map((x, i): readonly [number, number] => [x, ys[i] as number]), color: [40, 40, 200], style: "dots" },
  ])
)

const summary = {
  steps: state.step,
  firstLoss: state.history[0]?.total,
  finalLoss: state.history.at(-1)?.total,
  maxOffsetError: offsetError
}
writeFileSync(join(values.out, "summary.json"), JSON.stringify(summary, null, 2))
console.log(`loss ${summary.firstLoss?.toFixed(4)} -> ${summary.finalLoss?.toFixed(5)}; per-frame offsets recovered to ${offsetError.toFixed(4)}`)
console.log(`wrote ${join(values.out, "loss.png")}, ${join(values.out, "fit.png")}, ${join(values.out, "summary.json")}`)
