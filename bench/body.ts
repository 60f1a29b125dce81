/**
 * Benchmark of the open body and its ops: vertex count, valid texel fraction
 * of the UV atlas at 128 and 512, the largest skinning-weight row-sum error,
 * the time to generate the body, and the milliseconds of one bodyForward
 * (batch 1, forward only) and of lbs on 200k points (batch 1, 24 joints) on
 * one backend (wasm unless --backend names another).
 * npm run bench -- body [--json] [--backend wasm|cpu|webgpu]
 */
import * as tf from "@tensorflow/tfjs"
import { Effect } from "effect"
import { parseArgs } from "node:util"
import { SMPL_PARENTS } from "../src/body/model.ts"
import { generateOpenBody } from "../src/body/openBody.ts"
import { canonicalBody } from "../src/body/canonical.ts"
import { bodyForward } from "../src/ops/bodyForward/bodyForward.ts"
import { applyOp } from "../src/ops/apply.ts"
import { evalContext } from "../src/ops/contract.ts"
import { lbs } from "../src/ops/lbs/lbs.ts"
import { uvMaps } from "../src/body/uv/uvMaps.ts"
import type { BackendName } from "../src/runtime/backend.ts"
import { activate, isBackendName } from "../src/runtime/backend.ts"
import type { BenchArgs } from "./main.ts"

const LBS_POINTS = 200_000
const REPEATS = 10

/** Median milliseconds of `repeats` runs (after one warm-up) of a function returning tensors, read back each time. */
const timeMs = async (make: () => tf.Tensor[], repeats = REPEATS): Promise<number> => {
  const once = async () => {
    const start = performance.now()
    const out = make()
    await Promise.all(out.map((t) => t.data()))
    const ms = performance.now() - start
    tf.dispose(out)
    return ms
  }
  await once()
  const times: number[] = []
  for (let i = 0; i < repeats; i++) times.push(await once())
  return times.sort((a, b) => a - b)[Math.floor(repeats / 2)]!
}

export const run = async (args: BenchArgs): Promise<void> => {
  const { values } = parseArgs({ args: [...args.rest], strict: false, options: { backend: { type: "string", default: "wasm" } } })
  const chosen = String(values.backend)
  if (!isBackendName(chosen)) throw new Error(`bench body: unknown backend "${chosen}" (wasm, cpu or webgpu)`)
  const backend: BackendName = chosen
  await Effect.runPromise(activate(backend))

  const start = performance.now()
  const body = generateOpenBody()
  const openBodyMs = performance.now() - start
  const V = body.vertexCount
  const canonical = canonicalBody(body)
  const fraction = (size: number) =>
    uvMaps({ vertices: canonical.vertices, faces: body.faces, uv: body.uv, weights: body.weights, jointCount: 24 }, size).validTexels.length / (size * size)
  let maxWeightSumError = 0
  for (let v = 0; v < V; v++) {
    let sum = 0
    for (let j = 0; j < 24; j++) sum += body.weights[24 * v + j]!
    maxWeightSumError = Math.max(maxWeightSumError, Math.abs(sum - 1))
  }

  const model = {
    vTemplate: tf.tensor2d(Float32Array.from(body.vTemplate), [V, 3]),
    shapeDirs: tf.tensor3d(Float32Array.from(body.shapeDirs), [V, 3, body.shapeCount]),
    jRegressor: tf.tensor2d(Float32Array.from(body.jRegressor), [24, V]),
    weights: tf.tensor2d(Float32Array.from(body.weights), [V, 24])
  }
  const pose = tf.randomUniform([1, 24, 3], -0.5, 0.5, "float32", 1)
  const betas = tf.randomUniform([1, body.shapeCount], -1, 1, "float32", 2)
  const transl = tf.zeros([1, 3])
  const bodyForwardMs = await timeMs(() => {
    const out = applyOp(bodyForward, { betas, pose, transl, ...model }, { parents: SMPL_PARENTS }, evalContext)
    return [out.vertices, out.joints, out.transforms]
  })

  const points = tf.randomUniform([1, LBS_POINTS, 3], -1, 1, "float32", 3)
  const rawWeights = tf.randomUniform([LBS_POINTS, 24], 0, 1, "float32", 4)
  const weights = tf.div(rawWeights, tf.sum(rawWeights, 1, true))
  const transforms = tf.randomUniform([1, 24, 4, 4], -1, 1, "float32", 5)
  const lbs200kMs = await timeMs(() => [applyOp(lbs, { points, weights, transforms }, {}, evalContext).out])

  const result = {
    vertices: V,
    validTexels128: fraction(128),
    validTexels512: fraction(512),
    maxWeightSumError,
    bodyForwardMs,
    lbs200kMs,
    openBodyMs,
    backend
  }
  console.log(`open body: ${V} vertices, ${body.faces.length / 3} faces, generated in ${openBodyMs.toFixed(0)} ms`)
  console.log(`UV atlas: ${(100 * result.validTexels128).toFixed(1)}% valid texels at 128, ${(100 * result.validTexels512).toFixed(1)}% at 512`)
  console.log(`skinning weights: largest row-sum error ${maxWeightSumError.toExponential(2)}`)
  console.log(`${backend}: bodyForward ${bodyForwardMs.toFixed(2)} ms (batch 1), lbs on ${LBS_POINTS} points ${lbs200kMs.toFixed(2)} ms (median of ${REPEATS})`)
  tf.dispose([...Object.values(model), pose, betas, transl, points, rawWeights, weights, transforms])
  if (args.json) console.log(JSON.stringify(result))
}
