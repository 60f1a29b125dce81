/**
 * Variant "anisotropic Gaussians with a learned rotation": the decoder's scale head gives three
 * scales instead of one, and a new head (built like the others) gives a quaternion (w, x, y, z)
 * per Gaussian, fed to the rasteriser's `rotations` input, which normalises it (its backward goes
 * through the normalisation), so the head's raw output is the unnormalised quaternion. Its output
 * biases start at 1 so that the quaternion starts well away from 0.
 *
 * APPROXIMATION: the quaternion is used as the Gaussian's orientation in the CAMERA frame, as is.
 * The graph has no way to rotate it: lbs returns skinned points only (not each point's blended
 * joint rotation), the camera's extrinsic reaches the points through transformPoints only, and
 * there is no quaternion product op. So the orientation follows neither the body part's LBS
 * rotation nor the camera's rotation; in stage 1 (pose-independent decoder inputs) it is fixed in
 * the camera frame whatever the pose; in stage 2 the pose features let it vary with the pose, still
 * in the camera frame. Doing it properly needs an op giving each point's blended rotation
 * R_cam * polar(sum_j w_ij R_j) as a quaternion and a quaternion product, both with backwards.
 */
import { dropParam, rename, replaceNode, setParam } from "../../../dsl/edit.ts"
import type { AnyGraph } from "../../../dsl/graph.ts"
import { constantInit } from "../../../dsl/graph.ts"
import type { Stage1Config } from "../config.ts"
import { decoderHead, decoderHeadLayers, decoderTrunk, nodeOf, rewired, withFragment } from "./edits.ts"

/** stage1(c) or stage2(c) (or a variant of them) with three scales and a learned rotation per Gaussian. */
export const anisotropic = (graph: AnyGraph, c: Stage1Config): AnyGraph => {
  const hidden = c.sizes.hidden
  const threeScales = setParam(setParam(graph, "decoder.scale.out.w", { shape: [hidden, 3] }), "decoder.scale.out.b", { shape: [3] })
  const head = decoderHead("decoder.rotation", decoderTrunk(graph), { hidden, layers: decoderHeadLayers(graph), outputs: 4, group: "decoder", biasInit: constantInit(1) })
  const rotated = replaceNode(withFragment(threeScales, head.fragment), "render", rewired(nodeOf(graph, "render"), { rotations: head.output }))
  return rename(dropParam(rotated, "noRotations"), `${graph.name}.anisotropic`)
}
