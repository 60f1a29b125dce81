/**
 * The kill schedule of `bench -- faults` (bench/faultsSchedule.ts): kills spread over every
 * checkpoint write of both stages, alternating a random moment and the start of a write; progress
 * counted from the latest checkpoint's inode, once per write, across the moment between a write's
 * two renames when the latest file is missing.
 */
import assert from "node:assert/strict"
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { after, describe, it } from "node:test"
import { killTargets, killWhen, writeCounter } from "../../bench/faultsSchedule.ts"
import { createRng } from "../../src/math/rng.ts"
import { tempDir } from "../runtime/helpers.ts"

/** One checkpoint write as the runtime does it: temporary file, latest -> previous, temporary -> latest. */
const write = (stage: string, pid: number, between?: () => void) => {
  const temp = join(stage, `checkpoint.gvck.tmp-${pid}`)
  writeFileSync(temp, "x")
  try {
    renameSync(join(stage, "checkpoint.gvck"), join(stage, "checkpoint.previous.gvck"))
  } catch {
    // the first write has no latest to keep
  }
  between?.()
  renameSync(temp, join(stage, "checkpoint.gvck"))
}

describe("the kill schedule of bench -- faults", () => {
  const dir = tempDir("kills")
  after(() => rmSync(dir, { recursive: true, force: true }))

  it("8 kills over 11 writes (8 in stage 1, 3 in stage 2): every stage reached, random and during-write alternating", () => {
    const targets = killTargets(8, 11, createRng(1))
    assert.deepEqual(targets.map((t) => t.write), [1, 2, 3, 5, 6, 7, 9, 10])
    assert.deepEqual(targets.map((t) => t._tag), ["Random", "DuringWrite", "Random", "DuringWrite", "Random", "DuringWrite", "Random", "DuringWrite"])
    assert.ok(targets.every((t) => t._tag === "DuringWrite" || (t.fraction >= 0 && t.fraction < 1)))
  })

  it("counts each finished write once per stage, also when polled between its two renames", () => {
    const run = join(dir, "run")
    const stage1 = join(run, "stage1")
    mkdirSync(stage1, { recursive: true })
    write(stage1, 1)
    const counter = writeCounter(run)
    assert.deepEqual(counter.poll(), [0, 0], "a checkpoint there before is not a write")
    write(stage1, 2, () => assert.deepEqual(counter.poll(), [0, 0]))
    write(stage1, 2)
    assert.deepEqual(counter.poll(), [1, 0], "two writes between polls count as one: the bench polls every 2 ms, writes are steps apart")
    mkdirSync(join(run, "stage2"))
    write(join(run, "stage2"), 2)
    assert.deepEqual(counter.poll(), [1, 1])
  })

  it("a during-write kill waits for its write; a kill that went further moves the next target on", () => {
    const run = join(dir, "run2")
    const stage1 = join(run, "stage1")
    mkdirSync(stage1, { recursive: true })
    const plan = killWhen(run, { _tag: "DuringWrite", write: 2 }, 0, [1000, 1500])
    writeFileSync(join(stage1, "checkpoint.gvck.tmp-7"), "x")
    assert.equal(plan.shouldKill(7, 10), false, "write 1 is not the target")
    renameSync(join(stage1, "checkpoint.gvck.tmp-7"), join(stage1, "checkpoint.gvck"))
    assert.equal(plan.shouldKill(7, 20), false)
    writeFileSync(join(stage1, "checkpoint.gvck.tmp-7"), "x")
    assert.equal(plan.shouldKill(7, 30), true, "write 2 began")
    const later = killWhen(run, { _tag: "Random", write: 1, fraction: 0.5 }, 3, [1000, 1500, 2000, 2600])
    assert.equal(later.write, 4)
    assert.equal(later.gap, 1000, "ready at its start: the gap is the time to a fresh process's first write")
    assert.equal(later.shouldKill(8, 400), false)
    assert.equal(later.shouldKill(8, 500), true)
  })
})
