/**
 * Person masks from per-frame probabilities: a temporal blend of each frame's probability with its
 * neighbours' that hold the person too (1/4, 1/2, 1/4: a mask that jumps between frames is worse than a slightly loose one),
 * a threshold at one half, the largest 4-connected region (another region of at least a fifth of its
 * area is reported as a second person), and its holes filled.
 */

export interface Region {
  readonly area: number
  readonly x0: number
  readonly y0: number
  readonly x1: number
  readonly y1: number
}

export interface Regions {
  /** [H * W] region number per pixel (0: background), numbered from 1. */
  readonly labels: Int32Array
  readonly regions: ReadonlyArray<Region>
}

/** 4-connected regions of pixels where `inside(i)`. */
export const regionsOf = (inside: (i: number) => boolean, width: number, height: number): Regions => {
  const labels = new Int32Array(width * height)
  const regions: Region[] = []
  const stack: number[] = []
  for (let start = 0; start < width * height; start++) {
    if (labels[start] !== 0 || !inside(start)) continue
    const id = regions.length + 1
    let area = 0, x0 = width, y0 = height, x1 = -1, y1 = -1
    labels[start] = id
    stack.push(start)
    while (stack.length > 0) {
      const i = stack.pop()!
      const x = i % width, y = (i - x) / width
      area++
      x0 = Math.min(x0, x)
      x1 = Math.max(x1, x)
      y0 = Math.min(y0, y)
      y1 = Math.max(y1, y)
      for (const [nx, ny] of [[x - 1, y], [x + 1, y], [x, y - 1], [x, y + 1]] as const) {
        if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue
        const j = ny * width + nx
        if (labels[j] === 0 && inside(j)) {
          labels[j] = id
          stack.push(j)
        }
      }
    }
    regions.push({ area, x0, y0, x1, y1 })
  }
  return { labels, regions }
}

/** The largest region of pixels at or above `threshold`, or undefined when there is none. */
export const largestRegion = (probability: Uint8Array, width: number, height: number, threshold: number): Region | undefined =>
  regionsOf((i) => probability[i]! >= threshold, width, height).regions.reduce<Region | undefined>((best, r) => (!best || r.area > best.area ? r : best), undefined)

export interface CleanMask {
  /** [H * W] 255 person, 0 background. */
  readonly mask: Uint8Array
  readonly area: number
  /** Regions other than the person's with at least a fifth of its area. */
  readonly others: number
  /** The person's region touches the frame's border. */
  readonly touchesBorder: boolean
}

/** The largest region of `binary`, its holes filled. */
export const cleanMask = (binary: (i: number) => boolean, width: number, height: number): CleanMask => {
  const { labels, regions } = regionsOf(binary, width, height)
  if (regions.length === 0) return { mask: new Uint8Array(width * height), area: 0, others: 0, touchesBorder: false }
  const best = regions.reduce((b, r, k) => (r.area > regions[b]!.area ? k : b), 0)
  const person = regions[best]!
  const others = regions.filter((r, k) => k !== best && r.area >= person.area / 5).length
  const id = best + 1
  const outside = regionsOf((i) => labels[i] !== id, width, height)
  const mask = new Uint8Array(width * height)
  const borderRegions = new Set<number>()
  for (let x = 0; x < width; x++) for (const y of [0, height - 1]) if (outside.labels[y * width + x]! > 0) borderRegions.add(outside.labels[y * width + x]!)
  for (let y = 0; y < height; y++) for (const x of [0, width - 1]) if (outside.labels[y * width + x]! > 0) borderRegions.add(outside.labels[y * width + x]!)
  let area = 0
  for (let i = 0; i < width * height; i++) {
    const hole = outside.labels[i]! > 0 && !borderRegions.has(outside.labels[i]!)
    if (labels[i] === id || hole) {
      mask[i] = 255
      area++
    }
  }
  const touchesBorder = person.x0 === 0 || person.y0 === 0 || person.x1 === width - 1 || person.y1 === height - 1
  return { mask, area, others, touchesBorder }
}

/**
 * Each frame's probability blended with its neighbours' (1/4, 1/2, 1/4), 0..1; a neighbour that is
 * missing (the clip's ends) or not `present` gives its weight back to the frame itself, and a frame
 * not `present` keeps its own.
 */
export const temporalBlend = (probabilities: ReadonlyArray<Uint8Array>, present: ReadonlyArray<boolean> = probabilities.map(() => true)): ReadonlyArray<Float32Array> =>
  probabilities.map((p, t) => {
    const blends = (u: number) => present[t] === true && present[u] === true
    const prev = blends(t - 1) ? probabilities[t - 1] : undefined, next = blends(t + 1) ? probabilities[t + 1] : undefined
    const wp = prev ? 0.25 : 0, wn = next ? 0.25 : 0
    const wc = 1 - wp - wn
    const out = new Float32Array(p.length)
    for (let i = 0; i < p.length; i++) out[i] = (wc * p[i]! + wp * (prev?.[i] ?? 0) + wn * (next?.[i] ?? 0)) / 255
    return out
  })

/** Area-averaged downscale of a 0/255 mask to width x height (fractions in 0..1). */
export const shrinkMask = (mask: Uint8Array, width: number, height: number, toWidth: number, toHeight: number): Float32Array => {
  const out = new Float32Array(toWidth * toHeight)
  const count = new Float32Array(toWidth * toHeight)
  for (let y = 0; y < height; y++) {
    const ty = Math.min(toHeight - 1, Math.floor((y * toHeight) / height))
    for (let x = 0; x < width; x++) {
      const t = ty * toWidth + Math.min(toWidth - 1, Math.floor((x * toWidth) / width))
      out[t]! += mask[y * width + x]! / 255
      count[t]! += 1
    }
  }
  return out.map((v, i) => v / Math.max(1, count[i]!))
}
