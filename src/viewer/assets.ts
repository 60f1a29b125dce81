/**
 * The viewer's data, made from a trained run on the server side:
 * - avatar.bin: the avatar for the skinned mode: its Gaussians in canonical space with the
 *   appearance of a reference pose (the first training frame; stage 2's pose-dependent appearance
 *   is not recomputed per frame), each with its 4 strongest LBS weights, and what the page needs
 *   to pose it per frame: the joint tree, rest joints, inverse canonical transforms; plus the
 *   training camera and the first training pose (where dropped AMASS/BVH motions are placed).
 * - one motion file per motion: poses [N, 72] and translations [N, 3] (float32).
 * - anim files (exact mode) are written by writeAnim, frame after frame.
 */
import { Effect } from "effect"
import { createWriteStream } from "node:fs"
import type { AnyGraph } from "../dsl/graph.ts"
import type { AvatarPose } from "../avatar/gaussians.ts"
import { avatarGaussians } from "../avatar/gaussians.ts"
import type { RunInfo } from "../avatar/runFolder.ts"
import { IoError } from "../io/errors.ts"
import type { Motion, Skeleton } from "../motion/motion.ts"
import type { TrainedState } from "../runtime/state.ts"
import { animFrame, animHeader, isotropic } from "./anim.ts"
import { encodeContainer } from "./container.ts"
import { strongestFour } from "./kinematics.ts"

export const APPROXIMATION_NOTE =
  "Skinned mode: canonical Gaussians moved by their 4 strongest skinning weights on the GPU; the pose-dependent appearance of stage 2 is approximated by that of the first training frame. Exact mode plays Gaussians precomputed by the full graph."

export interface AvatarInputs {
  readonly render: AnyGraph
  readonly state: TrainedState
  readonly info: RunInfo
  readonly stage: number
  readonly skeleton: Skeleton
  readonly reference: AvatarPose
}

/** avatar.bin (container.ts). */
export const avatarFile = ({ render, state, info, stage, skeleton, reference }: AvatarInputs) =>
  Effect.gen(function* () {
    const cloud = yield* avatarGaussians(render, state, info.subject.betas, reference, { _tag: "Canonical" })
    const J = skeleton.parents.length
    const weights = state.constants["queryWeights"]?.data ?? new Float32Array(cloud.count * J)
    const bones = strongestFour(weights, J)
    const meta = {
      kind: "gavatar-avatar",
      version: 1,
      count: cloud.count,
      stage,
      note: APPROXIMATION_NOTE,
      parents: skeleton.parents,
      camera: { intrinsic: [...info.subject.intrinsic], width: info.subject.width, height: info.subject.height, extrinsic: [...info.extrinsic] },
      anchor: { pose: Array.from(reference.pose), transl: Array.from(reference.transl) }
    }
    return encodeContainer(meta, {
      means: cloud.means,
      scales: cloud.scales,
      rotations: cloud.rotations,
      opacities: cloud.opacities,
      colours: cloud.colours,
      boneIndices: bones.indices,
      boneWeights: bones.weights,
      restJoints: Float32Array.from(skeleton.restJoints),
      inverseCanonical: Float32Array.from(state.constants["inverseCanonical"]?.data ?? [])
    })
  })

export const motionFile = (name: string, motion: Motion, fps: number): Uint8Array =>
  encodeContainer({ kind: "gavatar-motion", name, frames: motion.frames, fps: motion.fps ?? fps }, { poses: Float32Array.from(motion.poses), transl: Float32Array.from(motion.transl) })

/** Writes the exact mode's file for `motion`: every frame's Gaussians from the full graph, with a progress line every 10 frames. */
export const writeAnim = (file: string, name: string, render: AnyGraph, state: TrainedState, betas: ArrayLike<number>, motion: Motion, fps: number) =>
  Effect.gen(function* () {
    const out = createWriteStream(file)
    const write = (bytes: Uint8Array) => Effect.async<void, IoError>((done) => void out.write(bytes, (e) => done(e ? Effect.fail(new IoError({ file, reason: `cannot write: ${e.message}` })) : Effect.void)))
    let header = false
    for (let f = 0; f < motion.frames; f++) {
      const pose = { pose: motion.poses.subarray(72 * f, 72 * f + 72), transl: motion.transl.subarray(3 * f, 3 * f + 3) }
      const cloud = yield* avatarGaussians(render, state, betas, pose)
      if (!isotropic(cloud)) return yield* new IoError({ file, reason: "the avatar's Gaussians are rotated (anisotropic): the anim format stores isotropic Gaussians only" })
      if (!header) {
        yield* write(animHeader({ name, frames: motion.frames, fps: motion.fps ?? fps, count: cloud.count, scaleDims: 1 }))
        header = true
      }
      yield* write(animFrame(cloud, 1))
      if ((f + 1) % 10 === 0 || f + 1 === motion.frames) process.stderr.write(`anim: frame ${f + 1}/${motion.frames}\n`)
    }
    yield* Effect.async<void>((done) => void out.end(() => done(Effect.void)))
  })
