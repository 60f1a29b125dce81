/**
 * A seeded random generator whose whole state is one 32-bit integer
 * (mulberry32), so that checkpoints can store and restore it exactly.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  readonly uniform: () => number
  /** Standard normal (Box-Muller, no cached spare so the state stays one integer). */
  readonly normal: () => number
  readonly state: () => number
  readonly restore: (state: number) => void
}

export const createRng = (seed: number): Rng => {
  let s = seed >>> 0
  const uniform = (): number => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const normal = (): number => {
    const u = Math.max(uniform(), 1e-12)
    const v = uniform()
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
  }
  return { uniform, normal, state: () => s, restore: (state) => (s = state >>> 0) }
}

/** A seed derived from several integers (e.g. run seed and epoch), for independent streams. */
export const mixSeed = (...parts: ReadonlyArray<number>): number =>
  parts.reduce((h, p) => Math.imul(h ^ (p >>> 0), 0x9e3779b1) >>> 0, 0x85ebca6b) >>> 0

/** A seeded permutation of 0..n-1 (Fisher-Yates). */
export const permutation = (n: number, rng: Rng): number[] => {
  const order = Array.from({ length: n }, (_, i) => i)
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1))
    ;[order[i], order[j]] = [order[j] as number, order[i] as number]
  }
  return order
}
