import { defineOp } from "../../dsl/op.ts"
import { port } from "../../dsl/shape.ts"

export interface ResizeBilinearAttrs {
  readonly outHeight: number
  readonly outWidth: number
}

export const resizeBilinearSpec = defineOp({
  name: "resizeBilinear",
  doc: "Bilinear resampling of an image (half-pixel centres, like PyTorch's align_corners=False)",
  inputs: ["x"],
  outputs: ["out"],
  differentiable: ["x"],
  signature: (a: ResizeBilinearAttrs) => ({ inputs: { x: port(["H", "W", "C"]) }, outputs: { out: port([a.outHeight, a.outWidth, "C"]) } })
})
