import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { zipSync } from "fflate"
import { crc32 } from "../../src/io/crc32.ts"
import { attempt } from "../../src/io/errors.ts"
import { openZip } from "../../src/io/zip.ts"
import { Effect } from "effect"

const text = (s: string): Uint8Array => new TextEncoder().encode(s)
const failure = (f: () => unknown): string => Effect.runSync(Effect.flip(attempt("a.zip", undefined, f))).message

describe("crc32", () => {
  it("matches the standard check value and continues across chunks", () => {
    assert.equal(crc32(text("123456789")), 0xcbf43926)
    assert.equal(crc32(text("6789"), crc32(text("12345"))), 0xcbf43926)
    assert.equal(crc32(new Uint8Array(0)), 0)
  })
})

describe("zip entries, read one at a time with a limit", () => {
  const long = text("abc".repeat(1000))
  const bytes = zipSync({ "stored.txt": [text("hello"), { level: 0 }], "deflated.txt": [long, { level: 9 }] })

  it("reads stored and deflated entries, and a prefix without inflating the rest", () => {
    const zip = openZip(bytes, "a.zip")
    assert.deepEqual(zip.entries.map((e) => [e.name, e.method, e.size]), [["stored.txt", 0, 5], ["deflated.txt", 8, 3000]])
    assert.deepEqual(zip.read(zip.find("stored.txt")!, 5), text("hello"))
    assert.deepEqual(zip.read(zip.find("deflated.txt")!, 3000), long)
    assert.deepEqual(zip.prefix(zip.find("deflated.txt")!, 7), text("abcabca"))
  })

  it("refuses an entry larger than the limit, one whose bytes fail their CRC, and a cut archive", () => {
    const zip = openZip(bytes, "a.zip")
    assert.match(failure(() => zip.read(zip.find("deflated.txt")!, 2999)), /^a\.zip: zip entry deflated\.txt declares 3000 bytes, more than the 2999 its contents need$/)
    const damaged = Uint8Array.from(bytes)
    damaged[Buffer.from(damaged).indexOf("hello")] = 0x48 // "hello" -> "Hello" in the stored entry
    const zipped = openZip(damaged, "a.zip")
    assert.match(failure(() => zipped.read(zipped.find("stored.txt")!, 5)), /zip entry stored\.txt fails its CRC-32 check \(damaged\)/)
    assert.match(failure(() => openZip(bytes.subarray(0, bytes.length - 30), "a.zip")), /^a\.zip: (not a zip archive|zip archive damaged)/)
  })
})
