/** IEEE 754 half precision (float16) bits from numbers and back (round to nearest even; overflow to infinity). */
const f32 = new Float32Array(1)
const u32 = new Uint32Array(f32.buffer)

export const toHalf = (value: number): number => {
  f32[0] = value
  const x = u32[0] as number
  const sign = (x >>> 16) & 0x8000
  const exponent = (x >>> 23) & 0xff
  const mantissa = x & 0x7fffff
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0)
  const e = exponent - 127 + 15
  if (e >= 0x1f) return sign | 0x7c00
  // Subnormal halves: multiples of 2^-24 (rounding up to 0x400 gives the smallest normal's bits).
  if (e <= 0) return sign | Math.round(Math.abs(f32[0] as number) * 2 ** 24)
  const base = sign | (e << 10) | (mantissa >> 13)
  const rest = mantissa & 0x1fff
  return base + (rest > 0x1000 || (rest === 0x1000 && base & 1) ? 1 : 0)
}

export const fromHalf = (h: number): number => {
  const sign = h & 0x8000 ? -1 : 1
  const exponent = (h >> 10) & 0x1f
  const mantissa = h & 0x3ff
  if (exponent === 0) return sign * mantissa * 2 ** -24
  if (exponent === 0x1f) return mantissa ? Number.NaN : sign * Number.POSITIVE_INFINITY
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15)
}

/** A float16 array of the values. */
export const halves = (values: ArrayLike<number>): Uint16Array => Uint16Array.from({ length: values.length }, (_, k) => toHalf(values[k] as number))
