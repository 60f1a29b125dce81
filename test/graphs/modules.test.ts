/**
 * The avatar's network modules (feature tensor, U-Net pose encoder, decoder) compose into a graph with
 * the original's shapes, and a tiny version of it trains: gradients reach every module.
 */
import { Effect, Either } from "effect"
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { hostTensor, inMemory } from "../../src/data/dataset.ts"
import { constantParam, defineGraph, group, input, loss, node, out, param, typecheck } from "../../src/dsl/index.ts"
import { port } from "../../src/dsl/shape.ts"
import { decoder, decoderDefaults } from "../../src/graphs/modules/decoder.ts"
import { featureNet, featureNetDefaults } from "../../src/graphs/modules/featureNet.ts"
import { combine } from "../../src/graphs/modules/fragment.ts"
import { poseEncoder, poseEncoderDefaults } from "../../src/graphs/modules/poseEncoder.ts"
import { specs } from "../../src/ops/specs.ts"
import { run } from "../../src/runtime/run.ts"
import { createRng } from "../../src/math/rng.ts"
import { runWith } from "../runtime/helpers.ts"

interface Sizes {
  readonly size: number
  readonly channels: number
  readonly encoder: ReadonlyArray<number>
  readonly hidden: number
  readonly points: number
}

/** Feature tensor + pose features, sampled at texels, with UV appended, decoded per point; colours fit a target. */
const avatarNetworks = ({ size, channels, encoder, hidden, points }: Sizes) => {
  const features = featureNet("features", { ...featureNetDefaults, size, channels, tensorGroup: "tensor", convGroup: "net" })
  const pose = poseEncoder("pose", input("positionMap"), { ...poseEncoderDefaults, size, channels: encoder, outChannels: channels, group: "net" })
  const dec = decoder("decoder", out("pointInput"), { ...decoderDefaults, inChannels: channels + 2, hidden, group: "net" })
  const parts = combine(features.fragment, pose.fragment, dec.fragment)
  return defineGraph({
    name: "avatarNetworks",
    inputs: { positionMap: port([size, size, 3]), target: port([points, 3]) },
    params: { ...parts.params, texels: constantParam([points], "texels", "int32"), uv: constantParam([points, 2], "uv") },
    groups: { tensor: group(5e-3), net: group(3e-3) },
    nodes: {
      ...parts.nodes,
      featureMap: node(specs.add, { a: features.output, b: pose.output }, {}),
      table: node(specs.reshape, { x: out("featureMap") }, { from: [size, size, channels], to: [size * size, channels] }),
      pointFeatures: node(specs.gatherRows, { table: out("table"), indices: param("texels") }, {}),
      pointInput: node(specs.concat, { a: out("pointFeatures"), b: param("uv") }, { channelsA: channels, channelsB: 2 }),
      colorError: node(specs.mse, { prediction: dec.color, target: input("target") }, {}),
      poseReg: node(specs.meanSquare, { x: pose.output }, {})
    },
    losses: { color: loss(out("colorError")), pose: loss(out("poseReg"), 0.1) },
    outputs: { offset: dec.offset, scale: dec.scale, color: dec.color },
    updates: parts.updates
  })
}

describe("avatar network modules", () => {
  it("typecheck with the original's sizes (128 x 128 x 64 features, U-Net 32..256, decoder 66 -> 128)", () => {
    const graph = avatarNetworks({ size: 128, channels: 64, encoder: [32, 64, 128, 256, 256], hidden: 128, points: 1000 })
    const result = Effect.runSync(Effect.either(typecheck(graph)))
    assert.ok(Either.isRight(result), String(Either.isLeft(result) && result.left.message))
    assert.deepEqual(result.right.ports["pose.out.bias"]?.["out"]?.shape, [128, 128, 64])
    assert.deepEqual(result.right.ports["pose.up3.skip"]?.["out"]?.shape, [8, 8, 512])
    assert.deepEqual(result.right.ports["decoder.skip"]?.["out"]?.shape, [1000, 194])
    assert.deepEqual(result.right.ports["decoder.scale.out"]?.["out"]?.shape, [1000, 1])
  })

  it("a tiny version trains on wasm: the loss falls and BatchNorm running statistics move", async () => {
    const sizes = { size: 32, channels: 6, encoder: [4, 4, 4, 4, 4], hidden: 8, points: 40 }
    const rng = createRng(3)
    const texels = Int32Array.from({ length: sizes.points }, () => Math.floor(rng.uniform() * sizes.size * sizes.size))
    const uv = Float32Array.from({ length: sizes.points * 2 }, () => rng.uniform())
    const frames = [0, 1].map(() => ({
      positionMap: hostTensor([sizes.size, sizes.size, 3], Float32Array.from({ length: sizes.size * sizes.size * 3 }, () => rng.uniform() - 0.5)),
      target: hostTensor([sizes.points, 3], Float32Array.from({ length: sizes.points * 3 }, () => rng.uniform()))
    }))
    const result = await runWith("wasm", run(avatarNetworks(sizes), inMemory("tiny", frames), { epochs: 40, constants: { texels: hostTensor([sizes.points], texels), uv: hostTensor([sizes.points, 2], uv) } }))
    assert.ok(Either.isRight(result), String(Either.isLeft(result) && result.left))
    const h = result.right.history
    assert.ok((h.at(-1)?.total ?? 1) < 0.5 * (h[0]?.total ?? 0), `loss ${h[0]?.total} -> ${h.at(-1)?.total}`)
    const running = Array.from(result.right.params["decoder.trunk0.bn.runningMean"]?.data ?? [])
    assert.ok(running.some((v) => v !== 0), "running mean updated")
  })
})
