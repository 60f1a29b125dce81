/**
 * SSIM and its gradient on the host (the cpu and wasm backends), computed only where it can differ
 * from a constant: with R the box of pixels where prediction and target differ and r the window's
 * radius, every map pixel outside R + r sees equal images and scores exactly 1 with zero gradient,
 * and the gradient vanishes outside R + 2r. The five window sums (mu_x, mu_y, E[x^2], E[y^2], E[xy])
 * are blurred over the crop R + 2r (windowSums.ts, float32), the map summed in float64.
 * With A1 = 2 mu_x mu_y + C1, A2 = 2 s_xy + C2, B1 = mu_x^2 + mu_y^2 + C1, B2 = s_x^2 + s_y^2 + C2:
 *   dS/dmu_x = S (2 mu_y / A1 - 2 mu_y / A2 - 2 mu_x / B1 + 2 mu_x / B2) (mu_y's likewise),
 *   dS/dE[x^2] = dS/dE[y^2] = -S / B2, dS/dE[xy] = 2 S / A2,
 *   d mean(S) / dx = (G * dS/dmu_x + 2 x G * dS/dE[x^2] + y G * dS/dE[xy]) / (h w c),
 * G * the zero-padded blur by the same symmetric window (its own adjoint).
 */
import type { Box } from "../../metrics/imageBox.ts"
import { boxArea, differingBox, growBox, isEmptyBox } from "../../metrics/imageBox.ts"
import { C1, C2, gaussianWindow } from "../../metrics/ssimWindow.ts"
import type { BlurPlanes, RowStart } from "./windowSums.ts"

export interface HostImages {
  readonly prediction: Float32Array
  readonly target: Float32Array
  readonly shape: readonly [number, number, number]
}

/**
 * What the backward needs: the crop and the map's partial derivatives over it, dS/dmu_x, dS/dmu_y,
 * dS/dE[x^2] and dS/dE[xy] one after another ([rows, len] each, zero outside the scored pixels).
 */
export interface SsimSaved {
  readonly region: Box
  readonly derivatives: Float32Array
}

export interface SsimForward {
  readonly value: number
  /** Undefined when the images are equal (value 1, zero gradient). */
  readonly saved: SsimSaved | undefined
}

/** The gradients over `region` only ([rows, cols, c] each); zero outside it. */
export interface SsimGrads {
  readonly region: Box
  readonly vPrediction: Float32Array
  readonly vTarget: Float32Array
}

/** The window sums' inputs: x, y, x^2, y^2, x y. */
type Moment = 0 | 1 | 2 | 3 | 4

/** Moment `m` of the region's values, row by row into the blur's source plane (monomorphic inner loops). */
const writeMoment = ({ prediction: x, target: y, shape: [, w, c] }: HostImages, region: Box, m: Moment, heap: Float32Array, rowStart: RowStart): void => {
  const len = (region.x1 - region.x0) * c
  for (let i = 0; i < region.y1 - region.y0; i++) {
    const from = ((region.y0 + i) * w + region.x0) * c
    const to = rowStart(i)
    if (m === 0) heap.set(x.subarray(from, from + len), to)
    else if (m === 1) heap.set(y.subarray(from, from + len), to)
    else if (m === 2) for (let k = 0; k < len; k++) heap[to + k] = (x[from + k] as number) * (x[from + k] as number)
    else if (m === 3) for (let k = 0; k < len; k++) heap[to + k] = (y[from + k] as number) * (y[from + k] as number)
    else for (let k = 0; k < len; k++) heap[to + k] = (x[from + k] as number) * (y[from + k] as number)
  }
}

export const ssimForwardHost = (images: HostImages, windowSize: number, sigma: number, blurPlanes: BlurPlanes): SsimForward => {
  const [h, w, c] = images.shape
  const r = windowSize >> 1
  const differ = differingBox(images.prediction, images.target, h, w, c)
  if (isEmptyBox(differ)) return { value: 1, saved: undefined }
  const scored = growBox(differ, r, h, w)
  const region = growBox(differ, 2 * r, h, w)
  const rows = region.y1 - region.y0
  const len = (region.x1 - region.x0) * c
  const { planes, len4 } = blurPlanes({ rows, len, channels: c }, gaussianWindow(windowSize, sigma), 5, (m, heap, rowStart) => writeMoment(images, region, m as Moment, heap, rowStart))
  const [muX, muY, xx, yy, xy] = planes as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array]
  const size = rows * len
  const derivatives = new Float32Array(4 * size)
  const [dMuX, dMuY, dSquares, dProduct] = [0, 1, 2, 3].map((k) => derivatives.subarray(k * size, (k + 1) * size)) as [Float32Array, Float32Array, Float32Array, Float32Array]
  let total = (h * w - boxArea(scored)) * c
  for (let py = scored.y0; py < scored.y1; py++) {
    const i = py - region.y0
    const k0 = (scored.x0 - region.x0) * c
    const k1 = (scored.x1 - region.x0) * c
    for (let k = k0; k < k1; k++) {
      const q = i * len4 + k
      const mx = muX[q] as number
      const my = muY[q] as number
      const a1 = 2 * mx * my + C1
      const a2 = 2 * ((xy[q] as number) - mx * my) + C2
      const b1 = mx * mx + my * my + C1
      const b2 = (xx[q] as number) - mx * mx + (yy[q] as number) - my * my + C2
      const s = (a1 * a2) / (b1 * b2)
      total += s
      const mixed = 2 / a1 - 2 / a2
      const own = 2 / b2 - 2 / b1
      const at = i * len + k
      dMuX[at] = s * (my * mixed + mx * own)
      dMuY[at] = s * (mx * mixed + my * own)
      dSquares[at] = -s / b2
      dProduct[at] = (2 * s) / a2
    }
  }
  return { value: total / (h * w * c), saved: { region, derivatives } }
}

/** Gradients of g * mean(S) w.r.t. prediction and target, over the forward's region. */
export const ssimBackwardHost = ({ prediction: x, target: y, shape: [h, w, c] }: HostImages, saved: SsimSaved, windowSize: number, sigma: number, g: number, blurPlanes: BlurPlanes): SsimGrads => {
  const { region } = saved
  const len = (region.x1 - region.x0) * c
  const rows = region.y1 - region.y0
  const { planes, len4 } = blurPlanes({ rows, len, channels: c }, gaussianWindow(windowSize, sigma), 4, (p, heap, rowStart) => {
    const from = saved.derivatives.subarray(p * rows * len, (p + 1) * rows * len)
    for (let i = 0; i < rows; i++) heap.set(from.subarray(i * len, (i + 1) * len), rowStart(i))
  })
  const [bMuX, bMuY, bSquares, bProduct] = planes as [Float32Array, Float32Array, Float32Array, Float32Array]
  const vPrediction = new Float32Array(rows * len)
  const vTarget = new Float32Array(rows * len)
  const scale = g / (h * w * c)
  for (let i = 0; i < rows; i++) {
    const image = ((region.y0 + i) * w + region.x0) * c
    for (let k = 0; k < len; k++) {
      const q = i * len4 + k
      const xv = x[image + k] as number
      const yv = y[image + k] as number
      const squares = 2 * (bSquares[q] as number)
      vPrediction[i * len + k] = scale * ((bMuX[q] as number) + xv * squares + yv * (bProduct[q] as number))
      vTarget[i * len + k] = scale * ((bMuY[q] as number) + yv * squares + xv * (bProduct[q] as number))
    }
  }
  return { region, vPrediction, vTarget }
}
