/**
 * The avatar's 3D Gaussians as a cloud (src/io/splat/cloud.ts), for splat files and viewers: the
 * inputs of the avatar graph's rasteriser node ("render") evaluated for one pose with an identity
 * camera (so that the graph's camera-space means are world positions), or, canonical, the query
 * points plus their predicted offsets (node "deformed") before skinning. Scales, colours and
 * opacities are those of the given pose (stage 2 predicts them from the pose); rotations must be
 * the identity in canonical space (the avatar's Gaussians are isotropic).
 */
import { Data, Effect } from "effect"
import type { HostTensor, Sample } from "../data/dataset.ts"
import type { AnyGraph, NodeSpec, Ref } from "../dsl/graph.ts"
import { setOutput } from "../dsl/edit.ts"
import type { GaussianCloud } from "../io/splat/cloud.ts"
import { gaussianCloud } from "../io/splat/cloud.ts"
import { predict } from "../runtime/predict.ts"
import type { TrainedState } from "../runtime/state.ts"

export class AvatarGaussiansError extends Data.TaggedError("AvatarGaussiansError")<{ readonly graph: string; readonly reason: string }> {
  override get message(): string {
    return `graph ${this.graph}: ${this.reason}`
  }
}

export type Placement = { readonly _tag: "Posed" } | { readonly _tag: "Canonical" }

const IDENTITY = Float32Array.of(1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1)
const SPLAT_INPUTS = ["means", "scales", "rotations", "opacities", "colours"] as const

/** The graph with the rasteriser's inputs and the canonical points as outputs "splat.<input>" and "splat.canonical". */
export const withSplatOutputs = (graph: AnyGraph): Effect.Effect<AnyGraph, AvatarGaussiansError> => {
  const render = (graph.nodes as Record<string, NodeSpec>)["render"]
  if (render === undefined || render.op.name !== "rasterize" || !("deformed" in graph.nodes))
    return Effect.fail(new AvatarGaussiansError({ graph: graph.name, reason: `needs the avatar's nodes "render" (rasterize) and "deformed"` }))
  const inputs = render.inputs as Record<string, Ref>
  // Rotations and opacities are inputs only in the rasteriser's anisotropic and learned-opacity modes.
  const exposed = SPLAT_INPUTS.filter((name) => inputs[name] !== undefined).reduce<AnyGraph>((g, name) => setOutput(g, `splat.${name}`, inputs[name] as Ref), graph)
  return Effect.succeed(setOutput(exposed, "splat.canonical", { _tag: "Node", node: "deformed", output: "out" }))
}

/** One pose of the avatar: SMPL axis-angle [72] and translation [3]. */
export interface AvatarPose {
  readonly pose: ArrayLike<number>
  readonly transl: ArrayLike<number>
}

/** A render graph's sample for one pose, seen by an identity camera. */
export const poseSample = (betas: ArrayLike<number>, pose: AvatarPose): Sample => ({
  index: 0,
  tensors: {
    betas: { shape: [betas.length], data: Float32Array.from(betas) },
    pose: { shape: [72], data: Float32Array.from(pose.pose) },
    transl: { shape: [3], data: Float32Array.from(pose.transl) },
    extrinsic: { shape: [4, 4], data: IDENTITY }
  }
})

/** The "splat.*" outputs that withSplatOutputs added. */
export const splatOutputs = (exposed: AnyGraph): ReadonlyArray<string> => Object.keys(exposed.outputs).filter((n) => n.startsWith("splat."))

/** The avatar's Gaussians in `pose`, in world space or canonical space. `graph` is a render graph (graphs.render of a trained stage). */
export const avatarGaussians = (graph: AnyGraph, state: TrainedState, betas: ArrayLike<number>, pose: AvatarPose, placement: Placement = { _tag: "Posed" }) =>
  Effect.gen(function* () {
    const exposed = yield* withSplatOutputs(graph)
    const out = yield* predict(exposed, state, poseSample(betas, pose), splatOutputs(exposed))
    /** An output's values; empty for an input the rasteriser's mode leaves out (identity rotations, opacity 1). */
    const get = (name: string) => Float32Array.from((out[`splat.${name}`] as HostTensor | undefined)?.data ?? [])
    if (placement._tag === "Canonical" && get("rotations").length !== 0)
      return yield* new AvatarGaussiansError({ graph: graph.name, reason: "its Gaussians are rotated (anisotropic): canonical rotations are not exported" })
    const means = placement._tag === "Canonical" ? get("canonical") : get("means")
    const cloud: GaussianCloud = gaussianCloud(means, get("scales"), get("rotations"), get("opacities"), get("colours"))
    return cloud
  })
