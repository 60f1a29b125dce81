/**
 * WGSL front-to-back compositing (composite.ts), one workgroup per 16x16
 * tile: the tile's list of Gaussians (bins, tileBins.ts) streams through
 * workgroup memory 256 at a time; each thread (pixel) blends them in order.
 * Inputs camera, splats [N, 16], bins; output [H, W, 7] as composite.ts PX,
 * the count being the position in the tile's list of the last contributor + 1.
 */
import { pixelStride, PX } from "../composite.ts"
import type { Program, Uniform } from "./common.ts"
import { C, S, splatStride, wgslConstants } from "./common.ts"
import { BINS } from "./tileBins.ts"

/** The start of both compositing passes: this thread's tile, pixel, pixel centre and mode. */
export const wgslTilePixel = `
  let tile = vec2<i32>(workgroupId.xy);
  let pix = tile * TILE + vec2<i32>(localId.xy);
  let inside = pix.x < i32(cam(${C.width})) && pix.y < i32(cam(${C.height}));
  let p = vec2<f32>(pix) + vec2<f32>(0.5);
  let smoothMode = cam(${C.smooth}) != 0.0;`

/** Uniforms of both compositing passes: tiles per row, tiles. */
export const tileUniforms = "tilesX: i32, tiles: i32,"
export const tileUniformValues = (tilesX: number, tilesY: number): Uniform[] => [
  { type: "int32", data: [tilesX] },
  { type: "int32", data: [tilesX * tilesY] }
]

/**
 * WGSL: tileRange(tile) is the tile's [start, end) in the list, loaded by one
 * thread and shared (workgroupUniformLoad keeps the loops over it uniform, as
 * their barriers require). stageBatch stages list entries start .. min(start +
 * 256, end) in workgroup memory (w of geoB = 1 for a kept Gaussian whose tile
 * rectangle holds this tile: always, unless the bins overflowed).
 */
export const wgslStageBatch = `
var<workgroup> geoA: array<vec4<f32>, 256>;
var<workgroup> geoB: array<vec4<f32>, 256>;
var<workgroup> tint: array<vec4<f32>, 256>;
var<workgroup> ids: array<i32, 256>;
var<workgroup> sharedRange: vec2<i32>;
fn tileRange(tile: vec2<i32>) -> vec2<i32> {
  if (localIndex == 0u) {
    let r = ${BINS.ranges} + 2 * (tile.y * uniforms.tilesX + tile.x);
    sharedRange = vec2<i32>(bins[r], bins[r + 1]);
  }
  return workgroupUniformLoad(&sharedRange);
}
fn stageBatch(start: i32, end: i32, tile: vec2<i32>) {
  let e = start + i32(localIndex);
  var b = vec4<f32>(0.0);
  if (e < end) {
    let g = bins[${BINS.ranges} + 2 * uniforms.tiles + e];
    let o = g * ${splatStride};
    let t = vec2<f32>(tile);
    if (g >= 0 && splats[o + ${S.radiusX}] > 0.0 && splats[o + ${S.tileX0}] <= t.x && t.x < splats[o + ${S.tileX1}] && splats[o + ${S.tileY0}] <= t.y && t.y < splats[o + ${S.tileY1}]) {
      geoA[localIndex] = vec4<f32>(splats[o + ${S.mx}], splats[o + ${S.my}], splats[o + ${S.conicA}], splats[o + ${S.conicB}]);
      b = vec4<f32>(splats[o + ${S.conicC}], splats[o + ${S.opacity}], splats[o + ${S.depth}], 1.0);
      tint[localIndex] = vec4<f32>(splats[o + ${S.colour}], splats[o + ${S.colour} + 1], splats[o + ${S.colour} + 2], 0.0);
      ids[localIndex] = g;
    }
  }
  geoB[localIndex] = b;
}
`

export class RasterForwardProgram implements Program {
  outputShape: number[]
  shaderKey = "gavatarRasterizeForward"
  dispatchLayout = { x: [1], y: [0] }
  dispatch: [number, number, number]
  workgroupSize: [number, number, number] = [16, 16, 1]
  variableNames = ["camera", "splats", "bins"]
  uniforms = tileUniforms

  constructor(width: number, height: number, tilesX: number, tilesY: number) {
    this.outputShape = [height, width, pixelStride]
    this.dispatch = [tilesX, tilesY, 1]
  }

  getUserCode(): string {
    return `
${wgslConstants}
${wgslStageBatch}
fn main() {
${wgslTilePixel}
  var T = 1.0;
  var rgb = vec3<f32>(0.0);
  var depth = 0.0;
  var count = 0;
  var done = !inside;
  let range = tileRange(tile);
  for (var start = range.x; start < range.y; start += 256) {
    stageBatch(start, range.y, tile);
    workgroupBarrier();
    let m = min(256, range.y - start);
    for (var j = 0; j < m; j++) {
      if (done) { break; }
      let b = geoB[j];
      if (b.w == 0.0) { continue; }
      let a = geoA[j];
      let d = a.xy - p;
      let power = 0.5 * (a.z * d.x * d.x + b.x * d.y * d.y) + a.w * d.x * d.y;
      if (power < 0.0) { continue; }
      let raw = b.y * exp(-power);
      var alpha = min(ALPHA_MAX, raw);
      if (smoothMode) { alpha = smoothAlpha(raw); }
      if ((smoothMode && alpha == 0.0) || (!smoothMode && alpha < ALPHA_MIN)) { continue; }
      let nextT = T * (1.0 - alpha);
      if (!smoothMode && nextT <= T_MIN) { done = true; break; }
      let w = alpha * T;
      rgb += tint[j].xyz * w;
      depth += b.z * w;
      T = nextT;
      count = start - range.x + j + 1;
    }
    workgroupBarrier();
  }
  if (!inside) { return; }
  let q = (pix.y * i32(cam(${C.width})) + pix.x) * ${pixelStride};
  let bg = vec3<f32>(cam(${C.background}), cam(${C.background + 1}), cam(${C.background + 2}));
  let colour = rgb + T * bg;
  result[q + ${PX.colour}] = colour.x;
  result[q + ${PX.colour + 1}] = colour.y;
  result[q + ${PX.colour + 2}] = colour.z;
  result[q + ${PX.alpha}] = 1.0 - T;
  result[q + ${PX.depth}] = depth;
  result[q + ${PX.transmittance}] = T;
  result[q + ${PX.count}] = f32(count);
}
`
  }
}
