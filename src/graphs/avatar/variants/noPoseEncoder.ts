/**
 * Variant "no pose encoder": graphs.stage2 with the U-Net pose encoder removed, its nodes, params,
 * running statistics, optimiser group and feature regulariser, and the posed position map it read.
 * The feature tensor's features reach the decoder unchanged (node featureMap reads what node
 * withPose added the pose features to).
 *
 * Why an edit of stage 2 and not "stage 1 continued": the ablation should differ from stage 2 in the
 * encoder only. This graph keeps everything else of stage 2: it starts from stage 1 (run's
 * `initFrom`), the feature tensor, its convolutions and the per-frame poses stay frozen, the decoder
 * trains at stage 2's rate for stage 2's epochs with stage 2's losses (L1, SSIM, offsets; LPIPS when
 * given). Continuing stage 1 instead would also keep training the feature tensor and the poses, and
 * so would confound the encoder with extra fitting of the frozen parts.
 */
import { dropLoss, rename, replaceNode } from "../../../dsl/edit.ts"
import type { AnyGraph, Ref } from "../../../dsl/graph.ts"
import { freezeGraph } from "../../../dsl/graph.ts"
import type { Stage1Config } from "../config.ts"
import type { Stage2Rates } from "../stage2.ts"
import { stage2, stage2Rates } from "../stage2.ts"
import { rewired, withoutNames } from "./edits.ts"

/** Nodes and params of stage 2 that only the pose encoder needs, besides those named "poseEncoder.*". */
export const poseEncoderOnly = ["poseMapBatch", "poseMap", "withPose", "poseFeatureReg", "texelVertices", "texelBary"] as const

export const noPoseEncoder = (c: Stage1Config, rates: Stage2Rates = stage2Rates): AnyGraph => {
  const full = stage2(c, rates)
  const tensorFeatures = (full.nodes.withPose.inputs as { readonly a: Ref }).a
  const cut = withoutNames(dropLoss(full, "poseFeatures"), "poseEncoder.", poseEncoderOnly)
  const direct = replaceNode(cut, "featureMap", rewired(full.nodes.featureMap, { x: tensorFeatures }))
  const { poseEncoder: _unused, ...groups } = direct.groups as Record<string, AnyGraph["groups"][string]>
  return rename(freezeGraph({ ...direct, groups }), "stage2.noPoseEncoder")
}
