/**
 * lpips: out = sum over AlexNet's five ReLU layers l of mean_{y,x} sum_c w_lc (n0 - n1)^2,
 * where n = f / (sqrt(sum_c f^2 + 1e-20) + 1e-10) are channel-normalised features of
 * each image after LPIPS's input scaling ((2x - 1 - shift) / scale).
 * Shapes: prediction, target [H, W, 3] (H, W >= 32) -> out [] (scalar).
 * Not differentiable where a ReLU input is exactly 0 or a max-pool window ties.
 * The network's weights become tfjs tensors once per weights object and backend, kept for the
 * process's life (a few MB for AlexNet).
 */
import * as tf from "@tensorflow/tfjs"
import type { LpipsWeights } from "../../lpips/alexnet.ts"
import { alexnetLayers, normEps, normTiny, scalingScale, scalingShift } from "../../lpips/alexnet.ts"
import type { ResolvedOpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import { lpipsSpec } from "./spec.ts"

interface NetworkTensors {
  readonly filters: ReadonlyArray<tf.Tensor4D>
  readonly biases: ReadonlyArray<tf.Tensor1D>
  readonly lins: ReadonlyArray<tf.Tensor1D>
}

const uploaded = new WeakMap<LpipsWeights, Map<string, NetworkTensors>>()

const network = (weights: LpipsWeights): NetworkTensors => {
  const perBackend = uploaded.get(weights) ?? new Map<string, NetworkTensors>()
  uploaded.set(weights, perBackend)
  const backend = tf.getBackend()
  const found = perBackend.get(backend)
  if (found) return found
  const layers = alexnetLayers
  const tensors: NetworkTensors = {
    filters: weights.convs.map((c, i) => tf.keep(tf.tensor4d(c.weight, [layers[i]?.kernel as number, layers[i]?.kernel as number, c.inChannels, c.outChannels]))),
    biases: weights.convs.map((c) => tf.keep(tf.tensor1d(c.bias))),
    lins: weights.lins.map((w) => tf.keep(tf.tensor1d(w)))
  }
  perBackend.set(backend, tensors)
  return tensors
}

/** The five ReLU feature maps of one image [H, W, 3] in [0, 1]. */
const features = (image: tf.Tensor, net: NetworkTensors): tf.Tensor4D[] => {
  const scaled = tf.div(tf.sub(tf.sub(tf.mul(image, 2), 1), tf.tensor1d([...scalingShift])), tf.tensor1d([...scalingScale]))
  let x = tf.expandDims(scaled, 0) as tf.Tensor4D
  return alexnetLayers.map((layer, i) => {
    if (layer.poolBefore) x = tf.maxPool(x, 3, 2, "valid")
    const pad: [[number, number], [number, number], [number, number], [number, number]] = [[0, 0], [layer.pad, layer.pad], [layer.pad, layer.pad], [0, 0]]
    x = tf.relu(tf.add(tf.conv2d(x, net.filters[i] as tf.Tensor4D, layer.stride, pad), net.biases[i] as tf.Tensor1D)) as tf.Tensor4D
    return x
  })
}

const normalise = (f: tf.Tensor): tf.Tensor => tf.div(f, tf.add(tf.sqrt(tf.add(tf.sum(tf.square(f), -1, true), normTiny)), normEps))

export const lpips: ResolvedOpDef<typeof lpipsSpec> = defineOpDef({
  spec: lpipsSpec,
  kernel: {
    _tag: "Autodiff",
    forward: ({ prediction, target }, { weights }) => {
      const net = network(weights)
      const a = features(prediction, net)
      const b = features(target, net)
      const perLayer = a.map((fa, i) => tf.mean(tf.sum(tf.mul(tf.square(tf.sub(normalise(fa), normalise(b[i] as tf.Tensor))), net.lins[i] as tf.Tensor1D), -1)))
      return { out: tf.addN(perLayer) }
    }
  }
})
