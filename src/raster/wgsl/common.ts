/**
 * What every WGSL program of the rasteriser shares: the camera buffer layout
 * (a small float32 input tensor, so no uniform alignment rules), the
 * constants of constants.ts, the smooth alpha of the test-only mode, and the
 * minimal WebGPUProgram / backend surface of tfjs-backend-webgpu we use.
 */
import type * as tf from "@tensorflow/tfjs"
import type { CameraSetup } from "../camera.ts"
import { alphaMax, alphaMin, determinantFloor, dilation, radiusSigmas, smoothCapSharpness, tileSize, transmittanceMin } from "../constants.ts"

/** Offsets in the camera buffer. */
export const C = {
  rotation: 0,
  translation: 9,
  fx: 12,
  fy: 13,
  cx: 14,
  cy: 15,
  limXNeg: 16,
  limXPos: 17,
  limYNeg: 18,
  limYPos: 19,
  width: 20,
  height: 21,
  near: 22,
  far: 23,
  tilesX: 24,
  tilesY: 25,
  background: 26,
  smooth: 29,
  scaleDims: 30,
  hasRotations: 31,
  hasOpacities: 32,
  size: 33
} as const

export const cameraBuffer = (cam: CameraSetup, scaleDims: number, hasRotations: boolean, hasOpacities: boolean): Float32Array => {
  const b = new Float32Array(C.size)
  b.set(cam.rotation, C.rotation)
  b.set(cam.translation, C.translation)
  const scalars: ReadonlyArray<readonly [number, number]> = [
    [C.fx, cam.fx], [C.fy, cam.fy], [C.cx, cam.cx], [C.cy, cam.cy],
    [C.limXNeg, cam.limXNeg], [C.limXPos, cam.limXPos], [C.limYNeg, cam.limYNeg], [C.limYPos, cam.limYPos],
    [C.width, cam.width], [C.height, cam.height], [C.near, cam.near], [C.far, cam.far],
    [C.tilesX, cam.tilesX], [C.tilesY, cam.tilesY], [C.smooth, cam.smooth ? 1 : 0],
    [C.scaleDims, scaleDims], [C.hasRotations, hasRotations ? 1 : 0], [C.hasOpacities, hasOpacities ? 1 : 0]
  ]
  for (const [offset, value] of scalars) b[offset] = value
  b.set(cam.background, C.background)
  return b
}

/** Splat layout written by the projection program, `splatStride` floats per Gaussian; radiusX = 0 marks a culled one. */
export const splatStride = 16
export const S = { mx: 0, my: 1, conicA: 2, conicB: 3, conicC: 4, depth: 5, radiusX: 6, radiusY: 7, tileX0: 8, tileY0: 9, tileX1: 10, tileY1: 11, opacity: 12, colour: 13 } as const

/** WGSL: the tile rectangle [x0, x1) x [y0, y1) of Gaussian g, as written by the projection (tiles.ts tileRect). */
export const wgslTileRect = `
fn tileRect(g: i32) -> vec4<i32> {
  let o = g * ${splatStride};
  return vec4<i32>(i32(splats[o + ${S.tileX0}]), i32(splats[o + ${S.tileY0}]), i32(splats[o + ${S.tileX1}]), i32(splats[o + ${S.tileY1}]));
}
`

/** WGSL: the order of two sort keys (a, b) (bitonic.ts): a first, then b. */
export const wgslKeyOrder = `
fn before(a: vec2<i32>, b: vec2<i32>) -> bool { return a.x < b.x || (a.x == b.x && a.y < b.y); }
`

/** Per-Gaussian gradients gathered by the compositing backward program. */
export const splatGradWidth = 10
export const SG = { mx: 0, my: 1, conicA: 2, conicB: 3, conicC: 4, depth: 5, opacity: 6, colour: 7 } as const

const f = (x: number): string => (Number.isInteger(x) ? `${x}.0` : `${x}`)

export const wgslConstants = `
const TILE: i32 = ${tileSize};
const ALPHA_MIN: f32 = ${f(alphaMin)};
const ALPHA_MAX: f32 = ${f(alphaMax)};
const T_MIN: f32 = ${f(transmittanceMin)};
const DILATION: f32 = ${f(dilation)};
const DET_FLOOR: f32 = ${f(determinantFloor)};
const RADIUS_SIGMAS: f32 = ${f(radiusSigmas)};
const CAP_SHARPNESS: f32 = ${f(smoothCapSharpness)};

fn cam(i: i32) -> f32 { return camera[i]; }

fn softplus(x: f32) -> f32 { if (x > 30.0) { return x; } return log(1.0 + exp(x)); }

// Test-only smooth alpha (constants.ts smoothAlpha) and its derivative.
fn smoothAlpha(a: f32) -> f32 {
  let capped = a - softplus(CAP_SHARPNESS * (a - ALPHA_MAX)) / CAP_SHARPNESS;
  let t = (capped - ALPHA_MIN) / ALPHA_MIN;
  if (t <= 0.0) { return 0.0; }
  if (t >= 1.0) { return capped; }
  return capped * t * t * (3.0 - 2.0 * t);
}
fn smoothAlphaDerivative(a: f32) -> f32 {
  let capped = a - softplus(CAP_SHARPNESS * (a - ALPHA_MAX)) / CAP_SHARPNESS;
  let dCapped = 1.0 - 1.0 / (1.0 + exp(-CAP_SHARPNESS * (a - ALPHA_MAX)));
  let t = (capped - ALPHA_MIN) / ALPHA_MIN;
  if (t <= 0.0) { return 0.0; }
  if (t >= 1.0) { return dCapped; }
  return dCapped * (t * t * (3.0 - 2.0 * t) + capped * 6.0 * t * (1.0 - t) / ALPHA_MIN);
}
`

/** The fields of tfjs-backend-webgpu's WebGPUProgram that we set. */
export interface Program {
  outputShape: number[]
  shaderKey: string
  dispatchLayout: { x: number[]; y?: number[]; z?: number[] }
  dispatch: [number, number, number]
  variableNames: string[]
  workgroupSize: [number, number, number]
  uniforms?: string
  atomic?: boolean
  getUserCode: () => string
}

export type Uniform = { readonly type: "int32" | "float32"; readonly data: number[] }

/** The part of tfjs-backend-webgpu's WebGPUBackend that the kernels call. */
export interface WebGpuBackendLike {
  runWebGPUProgram: (program: Program, inputs: tf.TensorInfo[], dtype: "float32" | "int32", uniforms?: Uniform[], output?: tf.TensorInfo) => tf.TensorInfo
  makeTensorInfo: (shape: number[], dtype: "float32" | "int32", values?: Float32Array | Int32Array) => tf.TensorInfo
  disposeData: (dataId: unknown) => void
}

export const flatDispatch = (count: number, workgroup: number): Pick<Program, "dispatchLayout" | "dispatch" | "workgroupSize"> => ({
  dispatchLayout: { x: [0] },
  dispatch: [Math.max(1, Math.ceil(count / workgroup)), 1, 1],
  workgroupSize: [workgroup, 1, 1]
})

/** A program run by one thread per element over `threads` elements (workgroups of 64 along x). */
export abstract class FlatProgram implements Program {
  abstract readonly shaderKey: string
  abstract readonly variableNames: string[]
  readonly outputShape: number[]
  readonly dispatchLayout: Program["dispatchLayout"]
  readonly dispatch: Program["dispatch"]
  readonly workgroupSize: Program["workgroupSize"]

  constructor(outputShape: number[], threads: number) {
    this.outputShape = outputShape
    const d = flatDispatch(threads, 64)
    this.dispatchLayout = d.dispatchLayout
    this.dispatch = d.dispatch
    this.workgroupSize = d.workgroupSize
  }

  abstract getUserCode(): string
}

/** WGSL that adds a float to result[i] of an atomic (i32) output, by compare-and-swap. */
export const atomicAddFloat = `
fn atomicAddFloat(i: i32, v: f32) {
  var old = atomicLoad(&result[i]);
  loop {
    let swapped = atomicCompareExchangeWeak(&result[i], old, bitcast<i32>(bitcast<f32>(old) + v));
    if (swapped.exchanged) { break; }
    old = swapped.old_value;
  }
}
`
