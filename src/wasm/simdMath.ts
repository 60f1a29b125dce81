/**
 * f32x4 exp(-p) for the compositing kernels (WebAssembly has no exp).
 * p is clamped to [0, 16] (the kernels only use p <= ~5.6; the clamp keeps
 * masked-off lanes finite). With x = -p: k = x log2 e + (1.5 * 2^23 + 127)
 * rounds x log2 e to the nearest integer n in float32 (k's low mantissa bits
 * hold n + 127, so k's bits shifted left by 23 are the float 2^n), and
 * r = x - n ln2 (Cody-Waite: ln2 split so that n ln2hi is exact), |r| <= ln2 / 2;
 * e^r by its Taylor polynomial of degree 7 (truncation error < 6e-9 relative,
 * below float32 rounding), times 2^n.
 * Error against Math.exp: within 3 float32 ulps (test/ops/rasterizeWasm.test.ts).
 */
import type { Code, Local } from "./emit.ts"
import { get, i32c, set, seq, v, v128T } from "./emit.ts"

export const splat4 = (x: number): Code => v.constF32([x, x, x, x])

/** Broadcast constants for hot loops: `c4(x)` reads a v128 local that `init()` (emitted first in the function) sets once. */
export type Constants = (x: number) => Code
export const constantPool = (local: (type: typeof v128T) => Local): { readonly c4: Constants; readonly init: () => Code } => {
  const cache = new Map<number, Local>()
  const inits: Code[] = []
  const c4 = (x: number): Code => {
    let l = cache.get(x)
    if (!l) {
      l = local(v128T)
      cache.set(x, l)
      inits.push(set(l, splat4(x)))
    }
    return get(l)
  }
  return { c4, init: () => seq(...inits) }
}
const ln2Hi = 0.693359375
const ln2Lo = Math.LN2 - ln2Hi
const taylor = [1, 1, 1 / 2, 1 / 6, 1 / 24, 1 / 120, 1 / 720, 1 / 5040]

const roundingShift = 1.5 * 2 ** 23 + 127

/** Code leaving exp(-clamp(power, 0, 16)) in `out`; x, k and n are scratch v128 locals. */
export const expNegInto = (c4: Constants, out: Local, power: Code, x: Local, k: Local, n: Local): Code => {
  let poly = c4(taylor[7] as number)
  for (let d = 6; d >= 0; d--) poly = v.add(v.mul(poly, get(x)), c4(taylor[d] as number))
  return seq(
    set(x, v.neg(v.pmin(v.pmax(power, c4(0)), c4(16)))),
    set(k, v.add(v.mul(get(x), c4(Math.LOG2E)), c4(roundingShift))),
    set(n, v.sub(get(k), c4(roundingShift))),
    set(x, v.sub(v.sub(get(x), v.mul(get(n), c4(ln2Hi))), v.mul(get(n), c4(ln2Lo)))),
    set(out, v.mul(poly, v.shlI32(get(k), i32c(23))))
  )
}
