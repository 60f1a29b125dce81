import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { JOINT_COUNT, SMPL_REST_JOINTS } from "../../src/body/model.ts"
import { SHAPE_NAMES } from "../../src/body/open/shapes.ts"
import { generateOpenBody, openBody } from "../../src/body/openBody.ts"
import { rasterizeTriangles } from "../../src/ops/uvMaps/rasterize.ts"
import { edgeCounts, isInside, regress, vertexComponents } from "./meshChecks.ts"

const body = openBody()
const V = body.vertexCount
const F = body.faces.length / 3

describe("open body surface", () => {
  it("has at least 6k vertices", () => assert.ok(V >= 6000, `${V} vertices`))

  it("is closed and consistently oriented: every edge once in each direction", () => {
    const counts = edgeCounts(body.faces)
    for (const [key, n] of counts) {
      const [a, b] = key.split(",")
      assert.equal(n, 1, `edge ${key} used ${n} times`)
      assert.equal(counts.get(`${b},${a}`), 1, `edge ${key} has no opposite`)
    }
  })

  it("is one piece of genus 0 (Euler characteristic 2)", () => {
    assert.equal(vertexComponents(V, body.faces), 1)
    assert.equal(V - edgeCounts(body.faces).size / 2 + F, 2)
  })

  it("encloses every rest joint", () => {
    SMPL_REST_JOINTS.forEach((joint, j) => assert.ok(isInside(body.vTemplate, body.faces, joint), `joint ${j} is outside the surface`))
  })

  it("has hands, feet and a face-like head (nose in front, eye sockets)", () => {
    const p = (v: number) => [body.vTemplate[3 * v]!, body.vTemplate[3 * v + 1]!, body.vTemplate[3 * v + 2]!] as const
    let fingertip = 0, sole = 0, toe = -Infinity, nose = -1
    for (let v = 0; v < V; v++) {
      const [x, y, z] = p(v)
      fingertip = Math.max(fingertip, Math.abs(x))
      sole = Math.min(sole, y)
      if (y < -1) toe = Math.max(toe, z)
      if (y > 0.38 && (nose < 0 || z > p(nose)[2])) nose = v
    }
    assert.ok(fingertip > 0.85 && sole < -1.15 && toe > 0.15, `fingertip ${fingertip}, sole ${sole}, toe ${toe}`)
    assert.ok(Math.abs(p(nose)[0]) < 0.01 && p(nose)[2] > 0.12, `frontmost head point ${p(nose)}`)
    const frontAt = (x: number, y: number) => {
      let front = -Infinity
      for (let v = 0; v < V; v++) if (Math.abs(p(v)[0] - x) < 0.008 && Math.abs(p(v)[1] - y) < 0.008) front = Math.max(front, p(v)[2])
      return front
    }
    for (const side of [-1, 1]) assert.ok(frontAt(side * 0.032, 0.455) < frontAt(side * 0.032, 0.425) - 0.005, "no eye socket")
  })

  it("is generated deterministically", () => {
    const again = generateOpenBody()
    assert.deepEqual(again.vTemplate, body.vTemplate)
    assert.deepEqual(again.faces, body.faces)
    assert.deepEqual(again.uv.vt, body.uv.vt)
    assert.deepEqual(again.weights, body.weights)
  })
})

describe("open body UV atlas", () => {
  const coverage = (size: number) => {
    const hits = new Uint8Array(size * size)
    rasterizeTriangles(body.uv.vt.map((x) => x * size), body.uv.ft, size, (texel) => {
      hits[texel]!++
    })
    return hits
  }
  for (const size of [128, 512]) {
    it(`covers no texel twice at ${size}`, () => {
      const hits = coverage(size)
      assert.equal(hits.filter((h) => h > 1).length, 0)
    })
  }
  it("has at least 60% valid texels at 128", () => {
    const valid = coverage(128).filter((h) => h > 0).length / (128 * 128)
    assert.ok(valid >= 0.6, `valid ${valid}`)
  })
  it("keeps UV corners in the unit square, and every face with area has a UV triangle with area", () => {
    body.uv.vt.forEach((x) => assert.ok(x >= 0 && x <= 1))
    let missing = 0
    for (let f = 0; f < F; f++) {
      const c = (k: number, d: number) => body.uv.vt[2 * body.uv.ft[3 * f + k]! + d]!
      const uvArea = (c(1, 0) - c(0, 0)) * (c(2, 1) - c(0, 1)) - (c(2, 0) - c(0, 0)) * (c(1, 1) - c(0, 1))
      const q = (k: number, d: number) => body.vTemplate[3 * body.faces[3 * f + k]! + d]!
      const e1 = [0, 1, 2].map((d) => q(1, d) - q(0, d))
      const e2 = [0, 1, 2].map((d) => q(2, d) - q(0, d))
      const area = Math.hypot(e1[1]! * e2[2]! - e1[2]! * e2[1]!, e1[2]! * e2[0]! - e1[0]! * e2[2]!, e1[0]! * e2[1]! - e1[1]! * e2[0]!)
      if (area > 1e-9 && uvArea === 0) missing++
    }
    assert.equal(missing, 0)
  })
})

describe("open body skinning, shape and joints", () => {
  it("has skinning weights that are non-negative, sum to 1 and change smoothly along edges", () => {
    for (let v = 0; v < V; v++) {
      let sum = 0
      for (let j = 0; j < JOINT_COUNT; j++) {
        const w = body.weights[v * JOINT_COUNT + j]!
        assert.ok(w >= 0)
        sum += w
      }
      assert.ok(Math.abs(sum - 1) < 1e-9, `vertex ${v} sums to ${sum}`)
    }
    let steepest = 0
    for (let f = 0; f < body.faces.length; f += 3)
      for (let k = 0; k < 3; k++) {
        const a = body.faces[f + k]!, b = body.faces[f + ((k + 1) % 3)]!
        for (let j = 0; j < JOINT_COUNT; j++) steepest = Math.max(steepest, Math.abs(body.weights[a * JOINT_COUNT + j]! - body.weights[b * JOINT_COUNT + j]!))
      }
    assert.ok(steepest < 0.25, `weights jump by ${steepest} across an edge`)
  })

  it("has a regressor whose rows sum to 1 and that gives SMPL's rest joints", () => {
    const joints = regress(body, body.vTemplate)
    for (let j = 0; j < JOINT_COUNT; j++) {
      let sum = 0
      for (let v = 0; v < V; v++) sum += body.jRegressor[j * V + v]!
      assert.ok(Math.abs(sum - 1) < 1e-9)
      SMPL_REST_JOINTS[j]!.forEach((x, c) => assert.ok(Math.abs(joints[3 * j + c]! - x) < 1e-6, `joint ${j}`))
    }
  })

  it(`has ${SHAPE_NAMES.length} shape directions, each moving the surface by centimetres`, () => {
    assert.ok(body.shapeCount >= 10)
    for (let k = 0; k < body.shapeCount; k++) {
      let largest = 0
      for (let v = 0; v < V; v++) largest = Math.max(largest, Math.hypot(...[0, 1, 2].map((c) => body.shapeDirs[(3 * v + c) * body.shapeCount + k]!)))
      assert.ok(largest > 0.01 && largest < 0.1, `${SHAPE_NAMES[k]}: ${largest}`)
    }
  })

  it("moves the joints with the shape (height scales them, leg length lowers the ankles only)", () => {
    const shaped = (k: number, beta: number) => body.vTemplate.map((x, i) => x + beta * body.shapeDirs[i * body.shapeCount + k]!)
    const rest = regress(body, body.vTemplate)
    const taller = regress(body, shaped(SHAPE_NAMES.indexOf("height"), 2))
    rest.forEach((x, i) => assert.ok(Math.abs(taller[i]! - 1.06 * x) < 1e-9))
    const longLegs = regress(body, shaped(SHAPE_NAMES.indexOf("legLength"), 1))
    assert.ok(longLegs[3 * 7 + 1]! < rest[3 * 7 + 1]! - 0.03, "left ankle did not move down")
    assert.ok(Math.abs(longLegs[3 * 9 + 1]! - rest[3 * 9 + 1]!) < 1e-6, "spine3 moved")
  })
})
