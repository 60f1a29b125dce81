/**
 * f32x4 exp(-p) for the compositing kernels (WebAssembly has no exp).
 * p is clamped to [0, 16] (the kernels only use p <= ~5.6; the clamp keeps
 * masked-off lanes finite). With x = -p: n = nearest(x log2 e),
 * r = x - n ln2 (Cody-Waite: ln2 split so that n ln2hi is exact), |r| <= ln2 / 2,
 * e^r by its Taylor polynomial of degree 7 (truncation error < 6e-9 relative,
 * below float32 rounding), times 2^n built from the exponent bits.
 * Measured error against Math.exp: see test/ops/rasterizeWasm.test.ts.
 */
import type { Code, Local } from "./emit.ts"
import { get, i32c, set, seq, v } from "./emit.ts"

export const splat4 = (x: number): Code => v.constF32([x, x, x, x])
const splatI4 = (n: number): Code => v.splatI32(i32c(n))

const ln2Hi = 0.693359375
const ln2Lo = Math.LN2 - ln2Hi
const taylor = [1, 1, 1 / 2, 1 / 6, 1 / 24, 1 / 120, 1 / 720, 1 / 5040]

/** Code leaving exp(-clamp(power, 0, 16)) in `out`; x and n are scratch v128 locals. */
export const expNegInto = (out: Local, power: Code, x: Local, n: Local): Code => {
  let poly = splat4(taylor[7] as number)
  for (let k = 6; k >= 0; k--) poly = v.add(v.mul(poly, get(x)), splat4(taylor[k] as number))
  return seq(
    set(x, v.neg(v.min(v.max(power, splat4(0)), splat4(16)))),
    set(n, v.nearest(v.mul(get(x), splat4(Math.LOG2E)))),
    set(x, v.sub(v.sub(get(x), v.mul(get(n), splat4(ln2Hi))), v.mul(get(n), splat4(ln2Lo)))),
    set(out, v.mul(poly, v.shlI32(v.addI32(v.truncToI32(get(n)), splatI4(127)), i32c(23))))
  )
}
