/**
 * WGSL backward of the compositing (compositeBackward.ts): one workgroup per
 * tile streams its list (bins, tileBins.ts) back to front; each pixel replays
 * those before its last contributor and adds its share of the splat gradients
 * with float atomics (compare-and-swap), so the summation order, and the last
 * bits of the sums, vary from run to run. Inputs camera, splats [N, 16], bins,
 * pixels [H, W, 7], dImage [H, W, 3], dAlpha [H, W], dDepth [H, W] or a
 * stand-in; output [N, 10] as common.ts SG; the caller passes a zeroed output.
 */
import { pixelStride, PX } from "../composite.ts"
import type { Program } from "./common.ts"
import { atomicAddFloat, C, SG, splatGradWidth, wgslConstants } from "./common.ts"
import { tileUniforms, wgslStageBatch, wgslTilePixel } from "./rasterForward.ts"

export class RasterBackwardProgram implements Program {
  outputShape: number[]
  shaderKey = "gavatarRasterizeBackward"
  dispatchLayout = { x: [1], y: [0] }
  dispatch: [number, number, number]
  workgroupSize: [number, number, number] = [16, 16, 1]
  variableNames = ["camera", "splats", "bins", "pixels", "dImage", "dAlpha", "dDepth"]
  uniforms = `${tileUniforms} withDepth: i32,`
  atomic = true

  constructor(count: number, tilesX: number, tilesY: number) {
    this.outputShape = [Math.max(1, count), splatGradWidth]
    this.dispatch = [tilesX, tilesY, 1]
  }

  getUserCode(): string {
    return `
${wgslConstants}
${wgslStageBatch}
${atomicAddFloat}
fn main() {
${wgslTilePixel}
  var last = 0;
  var finalT = 1.0;
  var dC = vec3<f32>(0.0);
  var dA = 0.0;
  var dD = 0.0;
  if (inside) {
    let pixel = pix.y * i32(cam(${C.width})) + pix.x;
    last = i32(pixels[pixel * ${pixelStride} + ${PX.count}]);
    finalT = pixels[pixel * ${pixelStride} + ${PX.transmittance}];
    dC = vec3<f32>(dImage[pixel * 3], dImage[pixel * 3 + 1], dImage[pixel * 3 + 2]);
    dA = dAlpha[pixel];
    if (uniforms.withDepth != 0) { dD = dDepth[pixel]; }
  }
  let bg = vec3<f32>(cam(${C.background}), cam(${C.background + 1}), cam(${C.background + 2}));
  var T = finalT;
  var behind = finalT * dot(bg, dC);
  var behindDepth = 0.0;
  let range = tileRange(tile);
  let batches = (range.y - range.x + 255) / 256;
  for (var batch = batches - 1; batch >= 0; batch--) {
    let start = range.x + batch * 256;
    stageBatch(start, range.y, tile);
    workgroupBarrier();
    let m = min(256, range.y - start);
    for (var j = m - 1; j >= 0; j--) {
      if (start - range.x + j >= last) { continue; }
      let b = geoB[j];
      if (b.w == 0.0) { continue; }
      let a = geoA[j];
      let d = a.xy - p;
      let power = 0.5 * (a.z * d.x * d.x + b.x * d.y * d.y) + a.w * d.x * d.y;
      if (power < 0.0) { continue; }
      let gaussian = exp(-power);
      let raw = b.y * gaussian;
      var alpha = min(ALPHA_MAX, raw);
      if (smoothMode) { alpha = smoothAlpha(raw); }
      if ((smoothMode && alpha == 0.0) || (!smoothMode && alpha < ALPHA_MIN)) { continue; }
      let oneMinus = 1.0 - alpha;
      T = T / oneMinus;
      let w = alpha * T;
      let colourDot = dot(tint[j].xyz, dC);
      let z = b.z;
      let dAlphaK = T * colourDot - behind / oneMinus + dD * (T * z - behindDepth / oneMinus) + dA * finalT / oneMinus;
      behind += colourDot * w;
      behindDepth += z * w;
      let o = ids[j] * ${splatGradWidth};
      atomicAddFloat(o + ${SG.colour}, w * dC.x);
      atomicAddFloat(o + ${SG.colour + 1}, w * dC.y);
      atomicAddFloat(o + ${SG.colour + 2}, w * dC.z);
      atomicAddFloat(o + ${SG.depth}, w * dD);
      var dRaw = dAlphaK;
      if (smoothMode) { dRaw = dAlphaK * smoothAlphaDerivative(raw); } else if (raw >= ALPHA_MAX) { dRaw = 0.0; }
      if (dRaw == 0.0) { continue; }
      atomicAddFloat(o + ${SG.opacity}, dRaw * gaussian);
      let dPower = -dRaw * raw;
      atomicAddFloat(o + ${SG.mx}, dPower * (a.z * d.x + a.w * d.y));
      atomicAddFloat(o + ${SG.my}, dPower * (b.x * d.y + a.w * d.x));
      atomicAddFloat(o + ${SG.conicA}, dPower * 0.5 * d.x * d.x);
      atomicAddFloat(o + ${SG.conicB}, dPower * d.x * d.y);
      atomicAddFloat(o + ${SG.conicC}, dPower * 0.5 * d.y * d.y);
    }
    workgroupBarrier();
  }
}
`
  }
}
