/**
 * The viewer's data on the Node side: float16 round trips, the container, the anim frame layout, and
 * the skinned mode's math: canonical Gaussians moved by jointTransforms land on the posed Gaussians
 * of the same pose (all 24 weights: to float32 rounding; the 4 strongest: within millimetres).
 */
import { Effect } from "effect"
import assert from "node:assert/strict"
import { spawnSync } from "node:child_process"
import { after, before, describe, it } from "node:test"
import { avatarGaussians, poseSample, splatOutputs, withSplatOutputs } from "../../src/avatar/gaussians.ts"
import { loadTrainedAvatar, openTrainedRun } from "../../src/avatar/trainedRun.ts"
import { openBody } from "../../src/body/openBody.ts"
import { predict, predictor } from "../../src/runtime/predict.ts"
import { gaussianCloud } from "../../src/io/splat/cloud.ts"
import { readMotion, skeletonOf } from "../../src/motion/read.ts"
import { animFrame, animHeader, animInfo, decodeAnimFrame } from "../../src/viewer/anim.ts"
import { decodeContainer, encodeContainer } from "../../src/viewer/container.ts"
import { fromHalf, toHalf } from "../../src/viewer/half.ts"
import { jointTransforms, skinPoints, strongestFour } from "../../src/viewer/kinematics.ts"
import { makeTinyRun } from "../cli/tinyRun.ts"
import type { TinyRun } from "../cli/tinyRun.ts"
import { tempDir, testLayers } from "../runtime/helpers.ts"
import { join } from "node:path"

describe("viewer formats", () => {
  it("float16: exact on representable values, within half an ulp elsewhere, infinities and subnormals", () => {
    for (const v of [0, 1, -2, 0.5, 65504, 2 ** -24, -(2 ** -20)]) assert.equal(fromHalf(toHalf(v)), v)
    for (const v of [0.1, 1.2345, -0.7, 3.14159, 1e-5]) assert.ok(Math.abs(fromHalf(toHalf(v)) - v) <= Math.abs(v) * 2 ** -11 + 2 ** -25, `${v}`)
    assert.equal(fromHalf(toHalf(1e6)), Number.POSITIVE_INFINITY)
  })

  it("a container holds its header and arrays", () => {
    const bytes = encodeContainer({ kind: "x", n: 3 }, { a: Float32Array.of(1, 2, 3), b: Uint8Array.of(7, 8), c: Float32Array.of(-1) })
    const { header, arrays } = decodeContainer(bytes)
    assert.equal(header["kind"], "x")
    assert.deepEqual([...(arrays["a"] as Float32Array)], [1, 2, 3])
    assert.deepEqual([...(arrays["b"] as Uint8Array)], [7, 8])
    assert.deepEqual([...(arrays["c"] as Float32Array)], [-1])
  })

  it("anim frames decode to the cloud within float16 and 8-bit rounding", () => {
    const cloud = gaussianCloud(Float32Array.of(0.1, 1.2, 3, -0.4, 1.5, 3.2), Float32Array.of(0.01, 0.02), new Float32Array(0), new Float32Array(0), Float32Array.of(0.2, 0.4, 0.6, 1, 0, 0.5))
    const header = animHeader({ name: "m", frames: 2, fps: 30, count: 2, scaleDims: 1 })
    const bytes = new Uint8Array([...header, ...animFrame(cloud, 1), ...animFrame(cloud, 1)])
    const found = animInfo(bytes) ?? assert.fail("no header")
    assert.equal(bytes.length, found.dataStart + 2 * found.info.frameBytes)
    const frame = decodeAnimFrame(found.info, bytes, found.dataStart, 1)
    frame.means.forEach((v, k) => assert.ok(Math.abs(v - (cloud.means[k] as number)) < 5e-4, `mean ${k}`))
    frame.scales.forEach((v, k) => assert.ok(Math.abs(v - (cloud.scales[k] as number)) < 2e-5, `scale ${k}`))
    frame.colours.forEach((v, k) => assert.ok(Math.abs(v - (cloud.colours[k] as number)) <= 0.5 / 255 + 1e-6, `colour ${k}`))
    assert.deepEqual([...frame.opacities], [1, 1])
  })
})

describe("skinned mode's math on a trained avatar", () => {
  const dir = tempDir("kinematics")
  let tiny: TinyRun
  before(async () => {
    tiny = await makeTinyRun(dir)
  })
  after(() => spawnSync("rm", ["-rf", dir]))

  it("canonical Gaussians + joint transforms = the posed Gaussians of that pose", async (t) => {
    const { posed, canonical, weights, transforms } = await Effect.runPromise(
      Effect.gen(function* () {
        const trained = yield* openTrainedRun(tiny.run)
        const { render, state } = yield* loadTrainedAvatar(tiny.run, trained, trained.info.subject)
        const skeleton = skeletonOf(openBody(), trained.info.subject.betas)
        const motion = yield* readMotion(join(tiny.data, "novel_pose", "smpl_parms.npz"), { fps: 30, skeleton })
        const pose = { pose: motion.poses.subarray(72, 144), transl: motion.transl.subarray(3, 6) }
        const betas = trained.info.subject.betas
        return {
          posed: yield* avatarGaussians(render, state, betas, pose),
          canonical: yield* avatarGaussians(render, state, betas, pose, { _tag: "Canonical" }),
          weights: state.constants["queryWeights"]?.data ?? assert.fail("no weights"),
          transforms: jointTransforms(skeleton.parents, skeleton.restJoints, state.constants["inverseCanonical"]?.data ?? [], pose.pose, pose.transl)
        }
      }).pipe(Effect.provide(testLayers("wasm")))
    )
    const n = posed.count
    const all = { indices: Uint8Array.from({ length: 4 * n }, () => 0), weights: new Float32Array(4 * n) }
    // All 24 weights, as 6 groups of 4 bones summed.
    const full = new Float64Array(3 * n)
    for (let g = 0; g < 6; g++) {
      for (let i = 0; i < n; i++)
        for (let k = 0; k < 4; k++) {
          all.indices[4 * i + k] = 4 * g + k
          all.weights[4 * i + k] = weights[24 * i + 4 * g + k] as number
        }
      skinPoints(canonical.means, all.indices, all.weights, transforms).forEach((v, k) => (full[k] = (full[k] as number) + v))
    }
    const top = skinPoints(canonical.means, strongestFour(weights, 24).indices, strongestFour(weights, 24).weights, transforms)
    const error = (p: Float64Array) => {
      let [largest, sum] = [0, 0]
      for (let i = 0; i < n; i++) {
        const d = Math.hypot(...[0, 1, 2].map((c) => (p[3 * i + c] as number) - (posed.means[3 * i + c] as number)))
        largest = Math.max(largest, d)
        sum += d
      }
      return { largest, mean: sum / n }
    }
    const exact = error(full)
    const four = error(top)
    t.diagnostic(`all weights: largest ${exact.largest.toExponential(2)} m; 4 strongest: mean ${(1000 * four.mean).toFixed(3)} mm, largest ${(1000 * four.largest).toFixed(1)} mm`)
    assert.ok(exact.largest < 1e-5, `all 24 weights: ${exact.largest} m`)
    assert.ok(four.mean < 2e-3, `4 strongest weights: mean ${four.mean} m`)
  })

  it("the predictor (fixed part evaluated once) gives the whole graph's Gaussians, pose after pose", async () => {
    const differences = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const trained = yield* openTrainedRun(tiny.run)
          const { render, state } = yield* loadTrainedAvatar(tiny.run, trained, trained.info.subject)
          const skeleton = skeletonOf(openBody(), trained.info.subject.betas)
          const motion = yield* readMotion(join(tiny.data, "novel_pose", "smpl_parms.npz"), { fps: 30, skeleton })
          const exposed = yield* withSplatOutputs(render)
          const wanted = splatOutputs(exposed)
          const reused = yield* predictor(exposed, state, wanted)
          const found: Array<{ frame: number; output: string; largest: number }> = []
          for (const frame of [1, 0]) {
            const sample = poseSample(trained.info.subject.betas, { pose: motion.poses.subarray(72 * frame, 72 * frame + 72), transl: motion.transl.subarray(3 * frame, 3 * frame + 3) })
            const whole = yield* predict(exposed, state, sample, wanted)
            const split = yield* reused.run(sample)
            for (const output of wanted) {
              const [a, b] = [whole[output]?.data ?? [], split[output]?.data ?? []]
              assert.equal(a.length, b.length, output)
              found.push({ frame, output, largest: Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - (b[i] as number))), 0) })
            }
          }
          return found
        })
      ).pipe(Effect.provide(testLayers("wasm")))
    )
    assert.equal(differences.length, 8, "means, scales, colours and canonical points for two poses")
    for (const d of differences) assert.equal(d.largest, 0, `${d.output}, pose ${d.frame}`)
  })
})
