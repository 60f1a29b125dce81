/**
 * graphs.stage2 of GaussianAvatar: stage 1 plus the U-Net pose encoder on the posed body's UV
 * position map (size = the feature tensor's), whose output is ADDED to the feature tensor's features.
 * As the original: the feature tensor, its convolutions and the per-frame poses (refined by stage 1,
 * passed with run's `initFrom`; with a pose trajectory its knots too) are frozen; decoder lr 3e-4, pose encoder 3e-3; losses L1, 1 - SSIM,
 * offsets, LPIPS as stage 1 (only with the config's weights; 0.2 from this run's epoch 30), and
 * 10 x mean(pose features^2) instead of the scale and feature-tensor terms.
 * Scales: the original warms them up in stage 1 only; here stage 2 continues stage 1's ramp from
 * c.stage1Iterations (full scales when absent). Restarting it would shrink every Gaussian at the start
 * of stage 2; full scales after a short stage 1 would blow them up.
 */
import type { ParamSpec, Ref } from "../../dsl/graph.ts"
import { constantParam, defineGraph, group, loss, node, out, param } from "../../dsl/graph.ts"
import { constant, warmUp } from "../../dsl/schedule.ts"
import { specs } from "../../ops/specs.ts"
import { poseEncoder, poseEncoderDefaults } from "../modules/poseEncoder.ts"
import type { Stage1Config } from "./config.ts"
import { paperScaleWarmUp } from "./config.ts"
import { stage1 } from "./stage1.ts"

export interface Stage2Rates {
  readonly decoder: number
  readonly poseEncoder: number
}

export const stage2Rates: Stage2Rates = { decoder: 3e-4, poseEncoder: 3e-3 }

const refinedPoseParams = new Set(["pose", "transl", "poseKnots", "translKnots"])
const frozenUnlessDecoder = (name: string, spec: ParamSpec): ParamSpec => (name.startsWith("features.") || refinedPoseParams.has(name) ? { ...spec, frozen: true } : spec)

export const stage2 = (c: Stage1Config, rates: Stage2Rates = stage2Rates) => {
  // The poses are frozen here: no prior pulls them towards their start.
  const base = stage1({ ...c, losses: { ...c.losses, posePrior: 0, translPrior: 0 } })
  const P = c.sizes.featureSize
  const encoder = poseEncoder("poseEncoder", out("poseMap"), { ...poseEncoderDefaults, size: P, outChannels: c.sizes.channels, group: "poseEncoder" })
  const { scale: _scale, features: _features, ...keptLosses } = base.losses
  // Stage 1 resamples the feature tensor's features in node featureMap; stage 2 adds the pose features first.
  const featureMapNode = base.nodes.featureMap
  const tensorFeatures = (featureMapNode.inputs as { readonly x: Ref }).x
  return defineGraph({
    name: "stage2",
    dims: base.dims,
    inputs: base.inputs,
    params: {
      ...Object.fromEntries(Object.entries(base.params).map(([name, spec]) => [name, frozenUnlessDecoder(name, spec as ParamSpec)])),
      ...encoder.fragment.params,
      texelVertices: constantParam([P * P, 3], "texelVertices", "int32"),
      texelBary: constantParam([P * P, 3], "texelBary")
    },
    groups: { decoder: group(rates.decoder), poseEncoder: group(rates.poseEncoder) },
    nodes: {
      ...base.nodes,
      ...encoder.fragment.nodes,
      poseMapBatch: node(specs.posedPositionMap, { vertices: out("body", "vertices"), texelVertices: param("texelVertices"), texelBary: param("texelBary") }, { size: P }),
      poseMap: node(specs.reshape, { x: out("poseMapBatch", "map") }, { from: [1, P, P, 3], to: [P, P, 3] }),
      withPose: node(specs.add, { a: tensorFeatures, b: encoder.output }, {}),
      featureMap: { ...featureMapNode, inputs: { x: out("withPose") } },
      scaleWarmUp: node(specs.scheduleValue, {}, { schedule: c.stage1Iterations === undefined ? constant(1) : warmUp(1, c.scaleWarmUpIterations ?? paperScaleWarmUp, c.stage1Iterations) }),
      poseFeatureReg: node(specs.meanSquare, { x: encoder.output }, {})
    },
    losses: { ...keptLosses, poseFeatures: loss(out("poseFeatureReg"), 10) },
    metrics: base.metrics,
    outputs: base.outputs,
    updates: { ...base.updates, ...encoder.fragment.updates }
  })
}
