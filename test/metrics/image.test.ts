import assert from "node:assert/strict"
import { it } from "node:test"
import { maskedPsnr64, psnr64 } from "../../src/metrics/image.ts"

it("maskedPsnr64 is the PSNR of the masked pixels alone; NaN for an empty mask", () => {
  const prediction = [0.5, 0.5, 0.5, 0.2, 0.3, 0.4, 1, 1, 1]
  const target = [0.6, 0.4, 0.5, 0.1, 0.3, 0.9, 1, 1, 1]
  const inside = psnr64(prediction.slice(0, 6), target.slice(0, 6), 1)
  assert.ok(Math.abs(maskedPsnr64(prediction, target, [1, 0.9, 0.2], 3, 1) - inside) < 1e-12)
  assert.ok(maskedPsnr64(prediction, target, [1, 0.9, 0.2], 3, 1) < psnr64(prediction, target, 1))
  assert.ok(Number.isNaN(maskedPsnr64(prediction, target, [0, 0, 0], 3, 1)))
})
