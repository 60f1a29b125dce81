/** Image pairs as a person filmed on a plain background gives them: equal except inside two patches. */
import * as fc from "fast-check"
import type { F64 } from "../../src/ops/contract.ts"

/** A rectangle of an h x w image: rows [y, y + dy), columns [x, x + dx). */
const arbPatch = (h: number, w: number) =>
  fc.record({ y: fc.integer({ min: 0, max: h - 1 }), x: fc.integer({ min: 0, max: w - 1 }), dy: fc.integer({ min: 1, max: 4 }), dx: fc.integer({ min: 1, max: 4 }) })

/** A plain background with random values inside one patch (clipped to the image). */
const patched = (h: number, w: number, c: number, background: number, patch: { y: number; x: number; dy: number; dx: number }, values: ReadonlyArray<number>): F64 => {
  const data = new Float64Array(h * w * c).fill(background)
  for (let y = patch.y; y < Math.min(h, patch.y + patch.dy); y++)
    for (let x = patch.x; x < Math.min(w, patch.x + patch.dx); x++) for (let k = 0; k < c; k++) data[(y * w + x) * c + k] = values[((y - patch.y) * 4 + (x - patch.x)) * c + k] as number
  return { shape: [h, w, c], data }
}

/** [h, w, c] prediction and target on one plain background (0, 0.5 or 1), each with a random patch (clipped at the borders). */
export const arbImagesOnBackground = fc
  .record({ h: fc.integer({ min: 6, max: 16 }), w: fc.integer({ min: 6, max: 16 }), c: fc.constantFrom(1, 3), background: fc.constantFrom(0, 1, 0.5) })
  .chain(({ h, w, c, background }) => {
    const image = fc.tuple(arbPatch(h, w), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 16 * c, maxLength: 16 * c })).map(([p, v]) => patched(h, w, c, background, p, v))
    return fc.record({ prediction: image, target: image })
  })
