import { defineOp } from "../../dsl/op.ts"
import { port } from "../../dsl/shape.ts"

/** A pinhole camera in pixels (OpenCV: pixel centres at integers, x right, y down, z forward). */
export interface ProjectAttrs {
  readonly fx: number
  readonly fy: number
  readonly cx: number
  readonly cy: number
  /** Depths below this are clamped to it (points behind the camera). */
  readonly minDepth: number
}

export const projectSpec = defineOp({
  name: "project",
  doc: "Pinhole projection of camera-space points to pixels",
  inputs: ["points"],
  outputs: ["out"],
  differentiable: ["points"],
  signature: (_attrs: ProjectAttrs) => ({ inputs: { points: port(["...S", 3]) }, outputs: { out: port(["...S", 2]) } })
})
