/** The output worker: scores as src/metrics/image.ts computes them, PNGs written, a failing write an IoError naming the file. */
import { Effect, Either } from "effect"
import assert from "node:assert/strict"
import { existsSync, mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, it } from "node:test"
import { outputPool } from "../../src/avatar/outputPool.ts"
import { hostTensor } from "../../src/data/dataset.ts"
import { maskedPsnr64, psnr64, ssim64 } from "../../src/metrics/image.ts"

const image = (seed: number) => hostTensor([16, 16, 3], Float32Array.from({ length: 768 }, (_, i) => 0.5 + 0.4 * Math.sin(seed + i * 0.37)))
const mask = hostTensor([16, 16], Float32Array.from({ length: 256 }, (_, i) => (i % 3 === 0 ? 1 : 0)))

describe("output pool", () => {
  it("scores on the worker as on the main thread and writes both PNGs", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gavatar-outputs-"))
    const [render, truth] = [image(1), image(2)]
    const expected = { psnr: psnr64(render.data, truth.data, 1), maskedPsnr: maskedPsnr64(render.data, truth.data, mask.data, 3, 1), ssim: ssim64(render.data, truth.data, [16, 16, 3], 11, 1.5) }
    const copy = (t: typeof render) => hostTensor(t.shape, Float32Array.from(t.data))
    const job = { _tag: "Score" as const, render: copy(render), truth: copy(truth), mask: copy(mask), ssimWindow: { window: 11, sigma: 1.5 }, framesFile: join(dir, "frames", "0.png"), renderFile: join(dir, "renders", "0.png") }
    const reply = await Effect.runPromise(Effect.scoped(Effect.flatMap(outputPool(), (pool) => Effect.flatten(pool.submit(job)))))
    assert.ok(reply._tag === "Scored")
    assert.deepEqual({ psnr: reply.psnr, maskedPsnr: reply.maskedPsnr, ssim: reply.ssim }, expected)
    assert.ok(existsSync(job.framesFile) && existsSync(job.renderFile))
  })

  it("a job that cannot write fails with an IoError naming its file; later jobs still run", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gavatar-outputs-"))
    writeFileSync(join(dir, "blocker"), "a file where a folder should be")
    const png = (file: string) => ({ _tag: "Png" as const, file, image: { width: 2, height: 2, channels: 3 as const, data: new Uint8Array(12) } })
    const bad = join(dir, "blocker", "0.png")
    const result = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const pool = yield* outputPool(1)
          const failed = yield* Effect.either(Effect.flatten(pool.submit(png(bad))))
          const fine = yield* Effect.flatten(pool.submit(png(join(dir, "ok.png"))))
          return { failed, fine }
        })
      )
    )
    assert.ok(Either.isLeft(result.failed) && result.failed.left._tag === "IoError")
    assert.equal(result.failed.left.file, bad)
    assert.equal(result.fine._tag, "Written")
    assert.ok(existsSync(join(dir, "ok.png")))
  })
})
