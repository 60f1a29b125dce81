/**
 * Reading LPIPS weights from the files a user supplies: torchvision's AlexNet
 * state dict (features.{0,3,6,8,10}.{weight,bias}) and LPIPS's linear heads
 * (lin{0..4}.model.1.weight, [1, C, 1, 1]), both torch .pth files. Nothing is
 * downloaded; a missing or misshapen array is an IoError naming file and key.
 */
import { Effect } from "effect"
import { IoError } from "../io/errors.ts"
import type { NdArray } from "../io/ndarray.ts"
import { toFloat32 } from "../io/ndarray.ts"
import { readTorch } from "../io/torch.ts"
import type { LpipsConv, LpipsWeights } from "./alexnet.ts"
import { alexnetLayers } from "./alexnet.ts"

const isNdArray = (v: unknown): v is NdArray => typeof v === "object" && v !== null && "shape" in v && "data" in v && "dtype" in v

/** A state dict's tensor, or an IoError naming the key. Accepts a bare dict or one nested under "state_dict". */
const tensorAt = (file: string, dict: unknown, key: string, rank: number): Effect.Effect<NdArray, IoError> => {
  const root = dict instanceof Map && dict.get("state_dict") instanceof Map ? dict.get("state_dict") : dict
  const value = root instanceof Map ? root.get(key) : undefined
  if (!isNdArray(value)) return Effect.fail(new IoError({ file, key, reason: "missing (is this the right weights file?)" }))
  if (value.shape.length !== rank) return Effect.fail(new IoError({ file, key, reason: `expected rank ${rank}, got shape [${value.shape.join(", ")}]` }))
  return Effect.succeed(value)
}

/** [Cout, Cin, K, K] -> [K, K, Cin, Cout]. */
const toTfjsFilter = (w: NdArray): Float32Array => {
  const [co, ci, kh, kw] = w.shape as [number, number, number, number]
  const src = toFloat32(w)
  const out = new Float32Array(src.length)
  for (let o = 0; o < co; o++) for (let c = 0; c < ci; c++) for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) out[((i * kw + j) * ci + c) * co + o] = src[((o * ci + c) * kh + i) * kw + j] as number
  return out
}

const readConvs = (file: string, dict: unknown): Effect.Effect<ReadonlyArray<LpipsConv>, IoError> =>
  Effect.gen(function* () {
    const convs: LpipsConv[] = []
    let inChannels = 3
    for (const layer of alexnetLayers) {
      const weight = yield* tensorAt(file, dict, `${layer.key}.weight`, 4)
      const [co, ci, kh, kw] = weight.shape as [number, number, number, number]
      if (ci !== inChannels || kh !== layer.kernel || kw !== layer.kernel)
        return yield* new IoError({ file, key: `${layer.key}.weight`, reason: `expected [C, ${inChannels}, ${layer.kernel}, ${layer.kernel}], got [${weight.shape.join(", ")}]` })
      const bias = yield* tensorAt(file, dict, `${layer.key}.bias`, 1)
      if (bias.shape[0] !== co) return yield* new IoError({ file, key: `${layer.key}.bias`, reason: `expected [${co}], got [${bias.shape.join(", ")}]` })
      convs.push({ weight: toTfjsFilter(weight), bias: toFloat32(bias), inChannels: ci, outChannels: co })
      inChannels = co
    }
    return convs
  })

const readLins = (file: string, dict: unknown, convs: ReadonlyArray<LpipsConv>): Effect.Effect<ReadonlyArray<Float32Array>, IoError> =>
  Effect.forEach(convs, (conv, i) =>
    Effect.flatMap(tensorAt(file, dict, `lin${i}.model.1.weight`, 4), (w) =>
      w.shape[0] === 1 && w.shape[1] === conv.outChannels && w.shape[2] === 1 && w.shape[3] === 1
        ? Effect.succeed(toFloat32(w))
        : Effect.fail(new IoError({ file, key: `lin${i}.model.1.weight`, reason: `expected [1, ${conv.outChannels}, 1, 1], got [${w.shape.join(", ")}]` }))
    )
  )

export const readLpipsWeights = (alexnetFile: string, linearFile: string): Effect.Effect<LpipsWeights, IoError> =>
  Effect.gen(function* () {
    const convs = yield* readConvs(alexnetFile, yield* readTorch(alexnetFile))
    const lins = yield* readLins(linearFile, yield* readTorch(linearFile), convs)
    return { convs, lins }
  })
