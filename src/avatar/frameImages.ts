/**
 * The images evaluation and rendering write per frame, from float images [H, W, 3] in [0, 1]:
 * the render as 8-bit RGB, and ground truth | render | error (|difference| summed over the channels,
 * x 4 / 3, in a dark-to-orange ramp) side by side.
 */
import type { HostTensor } from "../data/dataset.ts"
import type { Image8 } from "../io/png.ts"

const byte = (v: number): number => Math.round(255 * Math.min(1, Math.max(0, v)))

/** [H, W, 3] in [0, 1] as 8-bit RGB. */
export const image8 = (image: HostTensor): Image8 => {
  const [height, width] = image.shape as [number, number]
  return { width, height, channels: 3, data: Uint8Array.from(image.data, byte) }
}

/** Ground truth | render | error, side by side, 8-bit RGB [H, 3W, 3]. */
export const sideBySide = (truth: HostTensor, render: HostTensor): Image8 => {
  const [height, width] = truth.shape as [number, number]
  const data = new Uint8Array(3 * width * height * 3)
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const p = y * width + x
      const row = 3 * (3 * y * width + x)
      let e = 0
      for (let c = 0; c < 3; c++) {
        const t = truth.data[3 * p + c] as number
        const r = render.data[3 * p + c] as number
        data[row + c] = byte(t)
        data[row + 3 * width + c] = byte(r)
        e += Math.abs(t - r)
      }
      e = Math.min(1, (4 * e) / 3)
      data[row + 6 * width] = byte(e)
      data[row + 6 * width + 1] = byte(e * 0.3)
      data[row + 6 * width + 2] = byte(0.2 * (1 - e))
    }
  return { width: 3 * width, height, channels: 3, data }
}
