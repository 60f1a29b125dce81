/**
 * The two ways the page shows the avatar, both as Spark splat meshes with float32 centres
 * (ExtSplats, covariance splats):
 * - skinned: the canonical Gaussians once, each with its 4 strongest bones; per frame only the 24
 *   joint transforms (kinematics.ts) go to Spark's SplatSkinning in linear-blend mode (what our
 *   LBS computes), identity rest transforms;
 * - exact: the Gaussians of each frame of an anim file written into the same arrays.
 */
import * as THREE from "three"
import { ExtSplats, SplatMesh, SplatSkinning, SplatSkinningMode, utils } from "@sparkjsdev/spark"
import { jointTransforms } from "../kinematics.ts"
import type { AvatarData, MotionData } from "./data.ts"

const TEXTURE_WIDTH = 2048

interface Cloud {
  readonly means: ArrayLike<number>
  readonly scales: ArrayLike<number>
  readonly opacities: ArrayLike<number>
  readonly colours: ArrayLike<number>
  readonly rotations?: ArrayLike<number>
}

const encode = (arrays: [Uint32Array, Uint32Array], cloud: Cloud, count: number) => {
  for (let i = 0; i < count; i++) {
    const q = cloud.rotations
    utils.encodeExtSplat(
      arrays, i,
      cloud.means[3 * i] as number, cloud.means[3 * i + 1] as number, cloud.means[3 * i + 2] as number,
      cloud.scales[3 * i] as number, cloud.scales[3 * i + 1] as number, cloud.scales[3 * i + 2] as number,
      q ? (q[4 * i + 1] as number) : 0, q ? (q[4 * i + 2] as number) : 0, q ? (q[4 * i + 3] as number) : 0, q ? (q[4 * i] as number) : 1,
      cloud.opacities[i] as number,
      cloud.colours[3 * i] as number, cloud.colours[3 * i + 1] as number, cloud.colours[3 * i + 2] as number
    )
  }
}

const newArrays = (count: number): [Uint32Array, Uint32Array] => {
  const size = Math.max(1, Math.ceil(count / TEXTURE_WIDTH)) * TEXTURE_WIDTH * 4
  return [new Uint32Array(size), new Uint32Array(size)]
}

export interface SkinnedAvatar {
  readonly mesh: SplatMesh
  readonly pose: (motion: MotionData, frame: number) => void
}

export const skinnedAvatar = (avatar: AvatarData): SkinnedAvatar => {
  const n = avatar.count
  const a = avatar.arrays
  const arrays = newArrays(n)
  encode(arrays, { means: a["means"] as Float32Array, scales: a["scales"] as Float32Array, opacities: a["opacities"] as Float32Array, colours: a["colours"] as Float32Array, rotations: a["rotations"] as Float32Array }, n)
  const extSplats = new ExtSplats({ extArrays: arrays, numSplats: n })
  const mesh = new SplatMesh({ extSplats, covSplats: true })
  const J = avatar.parents.length
  const skinning = new SplatSkinning({ mesh, numSplats: n, numBones: J, mode: SplatSkinningMode.LINEAR_BLEND })
  const indices = a["boneIndices"] as Uint8Array
  const weights = a["boneWeights"] as Float32Array
  const bone = new THREE.Vector4()
  const weight = new THREE.Vector4()
  for (let i = 0; i < n; i++) skinning.setSplatBones(i, bone.fromArray(indices, 4 * i), weight.fromArray(weights, 4 * i))
  mesh.skinning = skinning
  const matrix = new THREE.Matrix4()
  return {
    mesh,
    pose: (motion, frame) => {
      const transforms = jointTransforms(avatar.parents, a["restJoints"] as Float32Array, a["inverseCanonical"] as Float32Array, motion.poses.subarray(72 * frame, 72 * frame + 72), motion.transl.subarray(3 * frame, 3 * frame + 3))
      for (let j = 0; j < J; j++) skinning.setBoneMatrix(j, matrix.fromArray(transforms, 16 * j).transpose())
      skinning.updateBones()
    }
  }
}

export interface ExactAvatar {
  readonly mesh: SplatMesh
  readonly show: (cloud: Cloud) => void
}

export const exactAvatar = (count: number): ExactAvatar => {
  const arrays = newArrays(count)
  const extSplats = new ExtSplats({ extArrays: arrays, numSplats: count })
  const mesh = new SplatMesh({ extSplats, covSplats: true })
  return {
    mesh,
    show: (cloud) => {
      encode(arrays, cloud, count)
      extSplats.textures[0].needsUpdate = true
      extSplats.textures[1].needsUpdate = true
      mesh.needsUpdate = true
    }
  }
}
