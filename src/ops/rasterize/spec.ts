import { defineOp } from "../../dsl/op.ts"
import { port } from "../../dsl/shape.ts"
import type { GaussianShape, OpacityMode, RasterizeAttrs } from "../../raster/attrs.ts"
import { anisotropic, isotropic, learnedOpacity, opaque } from "../../raster/attrs.ts"

export type { GaussianShape, OpacityMode, RasterizeAttrs }
export { anisotropic, isotropic, learnedOpacity, opaque }

/**
 * Inputs: means (N, 3), scales (N, 1) isotropic or (N, 3) anisotropic, rotations (N, 4)
 * quaternions (w, x, y, z) only for anisotropic Gaussians, opacities (N) only when learned,
 * colours (N, 3). The modes are the attributes `gaussians` and `opacity`.
 */
export const rasterizeSpec = defineOp({
  name: "rasterize",
  doc: "Differentiable 3D Gaussian splatting: EWA projection, 16x16 tiles, front-to-back alpha compositing",
  inputs: ["means", "scales", "colours"],
  optionalInputs: ["rotations", "opacities"],
  outputs: ["image", "alpha", "depth"],
  differentiable: ["means", "scales", "rotations", "opacities", "colours"],
  signature: (attrs: RasterizeAttrs) => {
    const rotated = attrs.gaussians._tag === "Anisotropic"
    return {
      inputs: {
        means: port(["N", 3]),
        scales: port(["N", rotated ? 3 : 1]),
        colours: port(["N", 3]),
        ...(rotated ? { rotations: port(["N", 4]) } : {}),
        ...(attrs.opacity._tag === "Learned" ? { opacities: port(["N"]) } : {})
      },
      outputs: {
        image: port([attrs.height, attrs.width, 3]),
        alpha: port([attrs.height, attrs.width]),
        depth: port(attrs.withDepth ? [attrs.height, attrs.width] : [0])
      }
    }
  }
})
