/** The camera attrs unpacked into the numbers the kernels use. */
import { jacobianMargin, tileSize } from "./constants.ts"
import { RasterizeInputError } from "./errors.ts"
import type { RasterizeAttrs } from "./attrs.ts"

export interface CameraSetup {
  /** World-to-camera rotation, row-major 3x3, and translation. */
  readonly rotation: Float64Array
  readonly translation: Float64Array
  readonly fx: number
  readonly fy: number
  readonly cx: number
  readonly cy: number
  /** Bounds of x/z and y/z where the projection Jacobian is evaluated: [-neg, pos]. */
  readonly limXNeg: number
  readonly limXPos: number
  readonly limYNeg: number
  readonly limYPos: number
  readonly width: number
  readonly height: number
  readonly near: number
  readonly far: number
  readonly tilesX: number
  readonly tilesY: number
  readonly background: readonly [number, number, number]
  readonly withDepth: boolean
  readonly smooth: boolean
}

/** Reject cameras the kernels cannot use (the depth sort needs 0 < near: it orders float bit patterns). */
const checkCamera = (attrs: RasterizeAttrs): void => {
  const fail = (reason: string) => {
    throw new RasterizeInputError({ input: "camera", reason })
  }
  const numbers = [attrs.fx, attrs.fy, attrs.cx, attrs.cy, attrs.near, attrs.far, ...attrs.worldToCamera, ...attrs.background]
  if (!numbers.every(Number.isFinite)) fail("has a non-finite value")
  if (attrs.worldToCamera.length !== 16) fail(`worldToCamera has ${attrs.worldToCamera.length} numbers, expected 16`)
  if (!(Number.isInteger(attrs.width) && Number.isInteger(attrs.height) && attrs.width > 0 && attrs.height > 0)) fail(`size ${attrs.width}x${attrs.height} is not a positive integer size`)
  if (!(attrs.fx > 0 && attrs.fy > 0)) fail(`focal lengths fx=${attrs.fx}, fy=${attrs.fy} must be positive`)
  if (!(attrs.near > 0 && attrs.far > attrs.near)) fail(`needs 0 < near < far (near=${attrs.near}, far=${attrs.far})`)
}

export const cameraSetup = (attrs: RasterizeAttrs): CameraSetup => {
  checkCamera(attrs)
  const m = attrs.worldToCamera
  const at = (i: number): number => m[i] as number
  const { fx, fy, cx, cy, width, height } = attrs
  return {
    rotation: Float64Array.from([0, 1, 2, 4, 5, 6, 8, 9, 10], at),
    translation: Float64Array.of(at(3), at(7), at(11)),
    fx,
    fy,
    cx,
    cy,
    limXNeg: cx / fx + (jacobianMargin * width) / fx,
    limXPos: (width - cx) / fx + (jacobianMargin * width) / fx,
    limYNeg: cy / fy + (jacobianMargin * height) / fy,
    limYPos: (height - cy) / fy + (jacobianMargin * height) / fy,
    width,
    height,
    near: attrs.near,
    far: attrs.far,
    tilesX: Math.ceil(width / tileSize),
    tilesY: Math.ceil(height / tileSize),
    background: attrs.background,
    withDepth: attrs.withDepth,
    smooth: attrs.smooth
  }
}
