/**
 * A full disk never costs a good checkpoint and never leaves a partial file (tmpfs mounts; skipped
 * with the reason where mounting is refused). The issue: on a 2 MB tmpfs training printed
 * "checkpoint ..." and exited 0 while the checkpoint on disk was cut to 1.8 MB of its 50 MB and had
 * replaced the last good one; run.json was left empty.
 */
import { Effect, Either, Layer, Option } from "effect"
import assert from "node:assert/strict"
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { join } from "node:path"
import { after, before, describe, it } from "node:test"
import { curveData } from "../../examples/curveData.ts"
import { writeBytes } from "../../src/io/atomic.ts"
import { curveFit } from "../../src/graphs/curveFit.ts"
import { checkpointFile, readLatestCheckpoint } from "../../src/runtime/checkpointFiles.ts"
import { Progress } from "../../src/runtime/progress.ts"
import { run } from "../../src/runtime/run.ts"
import { writeRunInfo } from "../../src/avatar/runFolder.ts"
import { sampleRunInfo } from "./fixtures.ts"
import { BackendLive } from "../../src/runtime/backend.ts"
import { BuiltinOps } from "../../src/ops/registry.ts"
import { fillDisk, mountTmpfs, type Tmpfs, tmpfsUnavailable } from "./tmpfs.ts"

const { dataset } = curveData(6, 32)

describe("a full disk", { skip: tmpfsUnavailable }, () => {
  let disk: Tmpfs
  before(() => {
    disk = mountTmpfs(1024)
  })
  after(() => disk.release())
  const clear = () => readdirSync(disk.dir).forEach((name) => rmSync(join(disk.dir, name), { recursive: true, force: true }))

  it("while training: one error naming the device, the file and the step kept; the checkpoint on disk unchanged, no temporary file", async () => {
    clear()
    const dir = join(disk.dir, "run")
    const file = checkpointFile(dir)
    let kept: Buffer | undefined
    // Once the first checkpoint is on disk, the disk fills up.
    const fillAfterFirst = Layer.succeed(Progress, {
      emit: (e) => Effect.sync(() => {
        if (e._tag === "Checkpoint" && kept === undefined) {
          kept = readFileSync(file)
          fillDisk(disk.dir)
        }
      })
    })
    const layers = Layer.mergeAll(BackendLive("cpu"), BuiltinOps, fillAfterFirst)
    const result = await Effect.runPromise(Effect.either(run(curveFit, dataset, { epochs: 4, batchSize: 2, checkpointDir: dir, checkpointEvery: 2 }).pipe(Effect.provide(layers))))
    assert.ok(Either.isLeft(result), "training reported success on a full disk")
    assert.equal(result.left._tag, "CheckpointNotWritten")
    assert.equal(result.left.message, `no space left on ${disk.dir} (tmpfs) writing ${file}; the checkpoint of step 2 is kept`)
    assert.deepEqual(readFileSync(file), kept, "the last good checkpoint is unchanged")
    assert.deepEqual(readdirSync(dir), ["checkpoint.gvck"], "no temporary file left")
    const latest = await Effect.runPromise(readLatestCheckpoint(dir))
    assert.ok(Option.isSome(latest) && latest.value.checkpoint.header.step === 2)
  })

  it("writing run.json or an image: one error, nothing left behind (no 0-byte file)", async () => {
    clear()
    fillDisk(disk.dir)
    const png = join(disk.dir, "renders", "00000.png")
    const image = await Effect.runPromise(Effect.either(writeBytes(png, new Uint8Array(64 * 1024))))
    assert.ok(Either.isLeft(image))
    assert.equal(image.left.message, `${png}: no space left on ${disk.dir} (tmpfs)`)
    assert.ok(!existsSync(png))
    const info = await Effect.runPromise(Effect.either(writeRunInfo(join(disk.dir, "run"), sampleRunInfo)))
    assert.ok(Either.isLeft(info), "run.json written on a full disk")
    assert.equal(info.left.message, `${join(disk.dir, "run", "run.json")}: no space left on ${disk.dir} (tmpfs)`)
    assert.ok(!existsSync(join(disk.dir, "run", "run.json")))
  })
})
