/**
 * MaxRects rectangle packing (best short side fit) into a square of a given
 * side: free space is kept as maximal free rectangles; each box goes, upright
 * or turned, where it leaves the smallest short side; free rectangles it
 * touches are split and the ones inside others dropped.
 */

interface Rect {
  readonly x: number
  readonly y: number
  readonly w: number
  readonly h: number
}

export interface Placed {
  readonly x: number
  readonly y: number
  readonly turned: boolean
}

const contains = (a: Rect, b: Rect): boolean => b.x >= a.x && b.y >= a.y && b.x + b.w <= a.x + a.w && b.y + b.h <= a.y + a.h

const split = (free: Rect, used: Rect): Rect[] => {
  if (used.x >= free.x + free.w || used.x + used.w <= free.x || used.y >= free.y + free.h || used.y + used.h <= free.y) return [free]
  const out: Rect[] = []
  if (used.x > free.x) out.push({ x: free.x, y: free.y, w: used.x - free.x, h: free.h })
  if (used.x + used.w < free.x + free.w) out.push({ x: used.x + used.w, y: free.y, w: free.x + free.w - used.x - used.w, h: free.h })
  if (used.y > free.y) out.push({ x: free.x, y: free.y, w: free.w, h: used.y - free.y })
  if (used.y + used.h < free.y + free.h) out.push({ x: free.x, y: used.y + used.h, w: free.w, h: free.y + free.h - used.y - used.h })
  return out
}

/** Place boxes (width, height, each padded by `gap`) in the given order; undefined if one does not fit. */
export const maxRects = (boxes: ReadonlyArray<{ readonly w: number; readonly h: number }>, side: number, gap: number): Placed[] | undefined => {
  let free: Rect[] = [{ x: 0, y: 0, w: side, h: side }]
  const placed: Placed[] = []
  for (const box of boxes) {
    let best: { rect: Rect; turned: boolean; score: number } | undefined
    for (const f of free)
      for (const turned of [false, true]) {
        const w = (turned ? box.h : box.w) + gap
        const h = (turned ? box.w : box.h) + gap
        if (w > f.w || h > f.h) continue
        const score = Math.min(f.w - w, f.h - h)
        if (best === undefined || score < best.score) best = { rect: { x: f.x, y: f.y, w, h }, turned, score }
      }
    if (best === undefined) return undefined
    placed.push({ x: best.rect.x, y: best.rect.y, turned: best.turned })
    const used = best.rect
    const pieces = free.flatMap((f) => split(f, used))
    free = pieces.filter((p, i) => !pieces.some((q, j) => j !== i && contains(q, p) && (!contains(p, q) || j < i)))
  }
  return placed
}
