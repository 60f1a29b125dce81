/**
 * The smallest box outside which two [h, w, c] images are equal, and boxes grown by a margin.
 * Windowed image measures (SSIM) are exactly 1 on every window that lies where the images agree, so
 * they need computing only around the pixels that differ: on a person filmed against a plain
 * background, the union of the person's box in the target and the render's coverage.
 */

/** Rows [y0, y1) and columns [x0, x1); empty when y0 >= y1. */
export interface Box {
  readonly y0: number
  readonly y1: number
  readonly x0: number
  readonly x1: number
}

export const emptyBox: Box = { y0: 0, y1: 0, x0: 0, x1: 0 }

export const isEmptyBox = (b: Box): boolean => b.y0 >= b.y1 || b.x0 >= b.x1

/** Pixels (any channel) where a and b differ, as their bounding box; emptyBox when none. */
export const differingBox = (a: ArrayLike<number>, b: ArrayLike<number>, h: number, w: number, c: number): Box => {
  let y0 = h
  let y1 = 0
  let x0 = w
  let x1 = 0
  const rowLength = w * c
  for (let y = 0; y < h; y++) {
    const row = y * rowLength
    let first = -1
    let last = -1
    for (let k = 0; k < rowLength; k++) {
      if (a[row + k] !== b[row + k]) {
        if (first < 0) first = k
        last = k
      }
    }
    if (first < 0) continue
    if (y < y0) y0 = y
    y1 = y + 1
    x0 = Math.min(x0, Math.floor(first / c))
    x1 = Math.max(x1, Math.floor(last / c) + 1)
  }
  return y0 < y1 ? { y0, y1, x0, x1 } : emptyBox
}

/** b grown by `margin` pixels on each side, clipped to an h x w image (emptyBox stays empty). */
export const growBox = (b: Box, margin: number, h: number, w: number): Box =>
  isEmptyBox(b) ? emptyBox : { y0: Math.max(0, b.y0 - margin), y1: Math.min(h, b.y1 + margin), x0: Math.max(0, b.x0 - margin), x1: Math.min(w, b.x1 + margin) }

export const boxArea = (b: Box): number => (isEmptyBox(b) ? 0 : (b.y1 - b.y0) * (b.x1 - b.x0))
