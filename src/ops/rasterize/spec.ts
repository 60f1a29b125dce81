import { defineOp } from "../../dsl/op.ts"
import { port } from "../../dsl/shape.ts"
import type { RasterizeAttrs } from "../../raster/attrs.ts"

export type { RasterizeAttrs }

/**
 * Inputs. rotations (N, 4) quaternions (w, x, y, z), or (0, 4) for identity;
 * opacities (N), or (0) for all 1; scales (N, 3) or isotropic (N, 1).
 */
export const rasterizeSpec = defineOp({
  name: "rasterize",
  doc: "Differentiable 3D Gaussian splatting: EWA projection, 16x16 tiles, front-to-back alpha compositing",
  inputs: ["means", "scales", "rotations", "opacities", "colours"],
  outputs: ["image", "alpha", "depth"],
  differentiable: ["means", "scales", "rotations", "opacities", "colours"],
  signature: (attrs: RasterizeAttrs) => ({
    inputs: {
      means: port(["N", 3]),
      scales: port(["N", "S"]),
      rotations: port(["NR", 4]),
      opacities: port(["NO"]),
      colours: port(["N", 3])
    },
    outputs: {
      image: port([attrs.height, attrs.width, 3]),
      alpha: port([attrs.height, attrs.width]),
      depth: port(attrs.withDepth ? [attrs.height, attrs.width] : [0])
    }
  })
})
