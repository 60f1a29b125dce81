/**
 * Variant "anisotropic Gaussians with a learned rotation": the decoder's scale head gives three
 * scales instead of one, and a new head (built like the others) gives a quaternion (w, x, y, z) per
 * Gaussian: its orientation in the CANONICAL body. Op skinRotations carries it to the camera frame,
 * where the rasteriser works (it gets camera-space means): the rotation of
 * R_cam * polar(sum_j w_j R_j) * R(q), with the point's own skinning weights and joint transforms
 * (node "skinned"'s) and the frame's extrinsic (node "cameraPoints"'s), so that the Gaussian turns
 * with its body part and with the camera. polar(.) takes the rotation factor of the blended 3x3,
 * which is not a rotation where joints' rotations differ: a Gaussian is turned, never sheared or
 * shrunk, by skinning. The rasteriser's node switches to its anisotropic mode. The head's output
 * biases start at 1 so that the quaternion starts well away from 0 (the op normalises it).
 */
import { addNode, keepsNames, rename, replaceNode, setParam } from "../../../dsl/edit.ts"
import type { Having, Ref } from "../../../dsl/graph.ts"
import { constantInit, node, out } from "../../../dsl/graph.ts"
import { anisotropic as anisotropicGaussians } from "../../../ops/rasterize/spec.ts"
import type { RasterizeAttrs } from "../../../ops/rasterize/spec.ts"
import { specs } from "../../../ops/specs.ts"
import { decoderNames } from "../../modules/decoder.ts"
import type { Stage1Config } from "../config.ts"
import { decoderPrefix } from "../config.ts"
import { avatarDecoderHead, rewired, withFragment } from "./edits.ts"

const scaleOut = decoderNames(decoderPrefix).headOutParams("scale")

/** stage1(c) or stage2(c) (or a variant of them) with three scales and a learned rotation per Gaussian. */
export const anisotropic = <G extends Having<"skinned" | "cameraPoints" | "render">>(graph: G, c: Stage1Config): G => {
  const { hidden } = c.sizes
  const { N } = c.dims
  const skinning = graph.nodes.skinned.inputs as { readonly weights: Ref; readonly transforms: Ref }
  const camera = (graph.nodes.cameraPoints.inputs as { readonly matrix: Ref }).matrix
  const threeScales = setParam(setParam(graph, scaleOut.weight, { shape: [hidden, 3] }), scaleOut.bias, { shape: [3] })
  const head = avatarDecoderHead(graph, "rotation", { hidden, outputs: 4, group: "decoder", biasInit: constantInit(1) })
  const skinned = addNode(
    withFragment(threeScales, head.fragment),
    "rotationsBatch",
    node(specs.skinRotations, { rotations: head.output, weights: skinning.weights, transforms: skinning.transforms, matrix: camera }, {})
  )
  const flat = addNode(skinned, "rotations", node(specs.reshape, { x: out("rotationsBatch") }, { from: [1, N, 4], to: [N, 4] }))
  const render = graph.nodes.render
  const rotated = replaceNode(flat, "render", { ...rewired(render, { rotations: out("rotations") }), attrs: { ...(render.attrs as RasterizeAttrs), gaussians: anisotropicGaussians } })
  return keepsNames(graph, rename(rotated, `${graph.name}.anisotropic`))
}
