import { bodyShapedCloud, benchCamera } from "./raster.ts"
import { cameraSetup } from "../src/ops/rasterize/camera.ts"
import { rasterizeBackwardCpu, rasterizeForwardCpu } from "../src/ops/rasterize/cpuRaster.ts"
import { gaussianArrays } from "../src/ops/rasterize/gaussians.ts"
const cam = cameraSetup(benchCamera)
const c = bodyShapedCloud(100000)
const e = new Float32Array(0)
const g = gaussianArrays(c.means, c.scales, e, e, c.colours)
const grads = { image: new Float32Array(512 * 512 * 3).fill(0.1), alpha: new Float32Array(512 * 512), depth: new Float32Array(0) }
for (let r = 0; r < 6; r++) {
  const t0 = performance.now()
  const f = rasterizeForwardCpu(g, cam)
  const t1 = performance.now()
  rasterizeBackwardCpu(g, cam, f, grads)
  const t2 = performance.now()
  if (r >= 3) console.log("forward", (t1 - t0).toFixed(1), "backward", (t2 - t1).toFixed(1), "pairs", f.pairs)
}
