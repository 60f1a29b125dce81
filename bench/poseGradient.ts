/**
 * npm run bench -- posegrad [--json] [--frames N] [--size S] [--frame K] [--eps E] [--ck CHECKPOINT] [--smooth]
 * Checks the per-frame pose gradient path at preset sizes (issue 17's "an error in the pose gradient
 * path at these sizes?"): stage 1 of the quick preset on bench poseopt's synthetic recording (default
 * 30 frames at 512x512, noisy fit, no priors, poses started at the fit), one frame's image loss
 * (0.8 L1 + 0.2 (1 - SSIM) and the regularisers), its gradient by the tape against central finite
 * differences of the same loss for the root, hips, knees, spine, shoulders, elbows, a wrist and the
 * translation. The appearance is the fresh initialisation, or a stage-1 checkpoint's (--ck) of the
 * same sizes; the scales at full size (iteration 1000). Prints each coordinate, the cosine of the
 * two gradients over the pose coordinates and their length ratio (tape / differences), and the
 * gradient's root mean square per joint. --smooth renders with the rasteriser's test-only smooth
 * cut-offs (alpha cap, 1/255 skip, early stop replaced by smooth functions): the differences of the
 * training rasteriser also count the jumps of Gaussians crossing those cut-offs, which no tape has.
 */
import * as tf from "@tensorflow/tfjs"
import { Effect, Layer, Option } from "effect"
import { parseArgs } from "node:util"
import type { HostTensor } from "../src/data/dataset.ts"
import { replaceNode } from "../src/dsl/edit.ts"
import { Ops, BuiltinOps } from "../src/ops/registry.ts"
import { readCheckpoint } from "../src/runtime/checkpointFiles.ts"
import { compile, evaluateNodes, nodesFor, resolve } from "../src/runtime/execute.ts"
import { Backend, WasmBackend } from "../src/runtime/index.ts"
import type { FrameRow } from "../src/runtime/objective.ts"
import { activeTerms, sampleEnv } from "../src/runtime/objective.ts"
import { createParams, seedParams } from "../src/runtime/params.ts"
import { createRng } from "../src/math/rng.ts"
import type { BenchArgs } from "./main.ts"
import { parseSettings, prepare } from "./poseoptSetup.ts"

/** Joints checked (SMPL order): root, hips, knee, spine, shoulders, elbow, wrist. */
const CHECKED_JOINTS = [0, 1, 2, 4, 3, 16, 17, 18, 20] as const
const JOINT_NAMES = ["root", "l hip", "r hip", "spine1", "l knee", "l shoulder", "r shoulder", "l elbow", "l wrist"] as const

const checkpointParams = async (file: string): Promise<Record<string, HostTensor>> => {
  const ck = Option.getOrThrowWith(await Effect.runPromise(readCheckpoint(file)), () => new Error(`bench posegrad: no checkpoint at ${file}`))
  const params: Record<string, HostTensor> = {}
  for (const [key, a] of ck.arrays) if (key.startsWith("param/")) params[key.slice("param/".length)] = { shape: a.shape, data: a.data } as HostTensor
  return params
}

interface Comparison {
  readonly name: string
  readonly tape: number
  readonly differences: number
}

const cosineAndRatio = (rows: ReadonlyArray<Comparison>): { readonly cosine: number; readonly ratio: number } => {
  const dot = rows.reduce((s, r) => s + r.tape * r.differences, 0)
  const tape = Math.sqrt(rows.reduce((s, r) => s + r.tape ** 2, 0))
  const differences = Math.sqrt(rows.reduce((s, r) => s + r.differences ** 2, 0))
  return { cosine: dot / (tape * differences), ratio: tape / differences }
}

export const run = async ({ json, rest }: BenchArgs): Promise<void> => {
  const { values } = parseArgs({
    args: [...rest],
    options: { smooth: { type: "boolean", default: false }, frames: { type: "string", default: "30" }, size: { type: "string", default: "512" }, frame: { type: "string", default: "3" }, eps: { type: "string", default: "1e-3" }, ck: { type: "string" } },
    strict: true
  })
  const settings = parseSettings(["--preset", "quick", "--frames", String(values.frames), "--size", String(values.size), "--pose-prior", "0", "--transl-prior", "0", "--pose-start", "fit"])
  const prepared = await prepare(settings)
  const render = prepared.graph.nodes.render
  const setup = values.smooth ? { ...prepared, graph: replaceNode(prepared.graph, "render", { ...render, attrs: { ...render.attrs, smooth: true } }) } : prepared
  const seeded = values.ck === undefined ? undefined : await checkpointParams(values.ck)
  const eps = Number(values.eps)
  const program = Effect.gen(function* () {
    const compiled = yield* compile(setup.graph, yield* Ops, (yield* Backend).target)
    const store = yield* createParams(setup.graph, setup.train, createRng(0), setup.runOptions.constants ?? {})
    if (seeded) seedParams(store, { params: seeded, frameParams: {} })
    const sample = yield* setup.train.sample(Number(values.frame))
    const clock = { epoch: settings.preset.poseFrom, iteration: 1000 }
    const terms = activeTerms(compiled, clock)
    const nodes = nodesFor(compiled, terms.map((t) => t.ref))
    const ctx = { mode: "train" as const, epoch: clock.epoch, iteration: clock.iteration }
    const rows: FrameRow[] = []
    const env = sampleEnv(compiled, store, sample, rows) as Map<string, tf.Tensor>
    const rowOf = (param: string): tf.Variable => Option.getOrThrowWith(Option.fromNullable(rows.find((r) => r.param === param)), () => new Error(`bench posegrad: no per-frame "${param}"`)).variable
    const [pose, transl] = [rowOf("pose"), rowOf("transl")]
    const objective = () => {
      const v = evaluateNodes(compiled, env, nodes, ctx)
      return tf.addN(terms.map((t) => tf.mul(resolve(t.ref, env, v), t.weight))) as tf.Scalar
    }
    const { grads } = tf.variableGrads(objective, [pose, transl])
    const tapeOf = (v: tf.Variable): Float32Array => grads[v.name]?.dataSync() as Float32Array
    const lossWith = (v: tf.Variable, start: Float32Array, k: number, delta: number): number => {
      const moved = Float32Array.from(start)
      moved[k] = (moved[k] as number) + delta
      v.assign(tf.tensor(moved, v.shape))
      const loss = tf.tidy(() => objective().dataSync()[0] as number)
      v.assign(tf.tensor(start, v.shape))
      return loss
    }
    const compare = (v: tf.Variable, coordinates: ReadonlyArray<{ readonly k: number; readonly name: string }>): ReadonlyArray<Comparison> => {
      const start = Float32Array.from(v.dataSync() as Float32Array)
      const tape = tapeOf(v)
      return coordinates.map(({ k, name }) => ({ name, tape: tape[k] as number, differences: (lossWith(v, start, k, eps) - lossWith(v, start, k, -eps)) / (2 * eps) }))
    }
    const poseCoordinates = CHECKED_JOINTS.flatMap((j, i) => [0, 1, 2].map((axis) => ({ k: 3 * j + axis, name: `${JOINT_NAMES[i]}[${axis}]` })))
    const poseRows = compare(pose, poseCoordinates)
    const translRows = compare(transl, [0, 1, 2].map((k) => ({ k, name: `transl[${k}]` })))
    const poseTape = tapeOf(pose)
    const rms = Array.from({ length: poseTape.length / 3 }, (_, j) => Math.sqrt(((poseTape[3 * j] as number) ** 2 + (poseTape[3 * j + 1] as number) ** 2 + (poseTape[3 * j + 2] as number) ** 2) / 3))
    return { poseRows, translRows, rms }
  }).pipe(Effect.provide(Layer.mergeAll(WasmBackend, BuiltinOps)))
  const { poseRows, translRows, rms } = await Effect.runPromise(program)
  console.log(`posegrad: frame ${values.frame} of ${settings.frames} at ${settings.size}x${settings.size}, ${setup.config.dims.N} Gaussians, appearance ${values.ck ?? "freshly initialised"}, ${values.smooth ? "smooth (test-only) rasteriser cut-offs" : "the training rasteriser"}, central differences with step ${eps}`)
  for (const r of [...poseRows, ...translRows]) console.log(`  ${r.name.padEnd(16)} tape ${r.tape.toExponential(3).padStart(11)}  differences ${r.differences.toExponential(3).padStart(11)}`)
  const pose = cosineAndRatio(poseRows)
  const all = cosineAndRatio([...poseRows, ...translRows])
  console.log(`pose coordinates: cosine(tape, differences) ${pose.cosine.toFixed(4)}, length ratio ${pose.ratio.toFixed(3)}; with the translation ${all.cosine.toFixed(4)} / ${all.ratio.toFixed(3)}`)
  console.log(`gradient RMS per joint (root, l hip, l knee, l shoulder, l elbow, l wrist, head): ${[0, 1, 4, 16, 18, 20, 15].map((j) => (rms[j] as number).toExponential(1)).join(" ")}`)
  if (json) console.log(JSON.stringify({ smooth: values.smooth, frames: settings.frames, size: settings.size, gaussians: setup.config.dims.N, eps, cosine: pose.cosine, lengthRatio: pose.ratio, cosineWithTransl: all.cosine, rmsPerJoint: rms }))
}
