/**
 * Every hostile input of hostile.ts, read in one child process (heap limited to HEAP_MB, a
 * timeout): each gives its one-line error (or is read, when valid), in bounded time, and the
 * process's peak resident size stays under MAX_RSS_MB. Before the readers were bounded, these
 * hung (negative pickle lengths), overflowed the stack (APPENDS), or took gigabytes (stride-0
 * tensors, zip bombs, 16384x16384 PNG and 15000x15000 JPEG headers).
 */
import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"
import { rmSync } from "node:fs"
import { tempDir } from "../runtime/helpers.ts"
import { type ChildRun, MAX_RSS_MB, readInChild } from "./child.ts"
import { hostileCases, writeCase } from "./hostile.ts"

/** Per input, generous for a loaded machine: each takes milliseconds when bounded. */
const SECONDS_PER_INPUT = 5

describe("hostile files, read in a child process with bounded heap and time", () => {
  const dir = tempDir("hostile")
  let run: ChildRun
  before(async () => {
    const plan = hostileCases.map((c) => ({ name: c.name, reader: c.reader, file: writeCase(dir, c), ...(c.argument === undefined ? {} : { argument: c.argument }) }))
    run = await readInChild(dir, plan, 30_000 + 1000 * SECONDS_PER_INPUT * plan.length)
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  for (const [index, c] of hostileCases.entries()) {
    it(c.name, () => {
      const outcome = run.outcomes[index]
      const earlier = run.outcomes.length
      assert.ok(outcome, `the reader process ended (code ${run.code}, signal ${run.signal}) after ${earlier} inputs; this one or ${hostileCases[earlier]?.name} hung or crashed it: ${run.stderr.slice(-400)}`)
      assert.equal(outcome.name, c.name)
      if (c.expect === "reads") assert.ok(outcome.ok, outcome.message)
      else {
        assert.ok(!outcome.ok, `read without error: ${outcome.message}`)
        assert.match(outcome.message, c.expect)
        assert.ok(!outcome.message.includes("\n"), "one line")
        assert.ok(outcome.message.includes(c.file), "names the file")
      }
      assert.ok(outcome.maxRssMB < MAX_RSS_MB, `peak resident size ${outcome.maxRssMB.toFixed(0)} MB, bound ${MAX_RSS_MB} MB`)
      assert.ok(outcome.ms < 1000 * SECONDS_PER_INPUT, `${outcome.ms.toFixed(0)} ms`)
    })
  }
})
