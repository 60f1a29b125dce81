import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { Effect } from "effect"
import { parseObj } from "../../src/io/obj.ts"
import { decodePng, encodePng } from "../../src/io/png.ts"

const run = <A, E>(e: Effect.Effect<A, E>): A => Effect.runSync(e)
const failure = <A, E>(e: Effect.Effect<A, E>): E => Effect.runSync(Effect.flip(e))
const text = (s: string): Uint8Array => new TextEncoder().encode(s)

describe("png", () => {
  it("round-trips RGBA and expands RGB and grey to RGBA", () => {
    const rgba = { width: 2, height: 1, channels: 4 as const, data: Uint8Array.from([1, 2, 3, 4, 250, 251, 252, 253]) }
    assert.deepEqual(run(decodePng(encodePng(rgba), "a.png")), rgba)
    const rgb = { width: 1, height: 2, channels: 3 as const, data: Uint8Array.from([10, 20, 30, 40, 50, 60]) }
    assert.deepEqual(Array.from(run(decodePng(encodePng(rgb), "b.png")).data), [10, 20, 30, 255, 40, 50, 60, 255])
    const grey = { width: 2, height: 1, channels: 1 as const, data: Uint8Array.from([0, 200]) }
    assert.deepEqual(Array.from(run(decodePng(encodePng(grey), "c.png")).data), [0, 0, 0, 255, 200, 200, 200, 255])
  })

  it("names the file of a corrupt or non-PNG image", () => {
    assert.match(failure(decodePng(text("hello world"), "x.png")).message, /^x\.png: not a PNG image/)
    const good = encodePng({ width: 4, height: 4, channels: 3, data: new Uint8Array(48).fill(7) })
    assert.match(failure(decodePng(good.subarray(0, 40), "cut.png")).message, /^cut\.png: /)
  })
})

describe("obj", () => {
  it("reads positions, texture coordinates and textured faces, triangulating quads", () => {
    const mesh = run(parseObj(text([
      "# a quad", "v 0 0 0", "v 1 0 0", "v 1 1 0", "v 0 1 0",
      "vt 0 0", "vt 1 0", "vt 1 1", "vt 0 1", "vn 0 0 1",
      "f 1/1/1 2/2/1 3/3/1 4/4/1", "f -4/-4 -2/-2 -1/-1"
    ].join("\n")), "quad.obj"))
    assert.deepEqual(Array.from(mesh.v), [0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0])
    assert.deepEqual(Array.from(mesh.vt), [0, 0, 1, 0, 1, 1, 0, 1])
    assert.deepEqual(Array.from(mesh.f), [0, 1, 2, 0, 2, 3, 0, 2, 3])
    assert.deepEqual(Array.from(mesh.ft ?? []), [0, 1, 2, 0, 2, 3, 0, 2, 3])
  })

  it("leaves ft out when a face has no texture coordinates, and names the line of a bad index", () => {
    const mesh = run(parseObj(text("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n"), "plain.obj"))
    assert.equal(mesh.ft, undefined)
    assert.match(failure(parseObj(text("v 0 0 0\nf 1 2 3\n"), "bad.obj")).message, /^bad\.obj: line 2: vertex index 2 out of range/)
    assert.match(failure(parseObj(text("v 0 0 x\n"), "nan.obj")).message, /line 1: expected 3 numbers/)
  })
})
