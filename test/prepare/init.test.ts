/**
 * The closed-form start of the fit (src/prepare/init.ts): the landmarks of the fit body's rest
 * points, turning from facing the camera to showing its back, with the face's landmarks scored as
 * seen in every frame (as detectors do on the backs of heads): the turns chosen along the clip follow
 * the true turn within 15 degrees in every frame (the closed form alone, 5-degree steps and depth from the torso's length, is up to 11 off on exact landmarks), where frames judged one by one by the face's vote
 * would stay facing the camera.
 */
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { FACE } from "../../src/graphs/fit/landmarks.ts"
import { graphs } from "../../src/graphs/index.ts"
import { mul33 } from "../../src/math/matrix.ts"
import { axisAngleToMatrix } from "../../src/math/rotation.ts"
import { restPointsOf, startsOf } from "../../src/prepare/init.ts"

const camera = { fx: 500, fy: 500, cx: 255.5, cy: 255.5 }
const TORSO: ReadonlyArray<readonly [number, number]> = [[11, 16], [12, 17], [23, 1], [24, 2]]

const turned = (turn: number) => mul33(axisAngleToMatrix([Math.PI, 0, 0]), axisAngleToMatrix([0, turn, 0]))
const degrees = (a: Float64Array, b: Float64Array) => {
  let trace = 0
  for (let k = 0; k < 9; k++) trace += a[k]! * b[k]!
  return (Math.acos(Math.min(1, Math.max(-1, (trace - 1) / 2))) * 180) / Math.PI
}

describe("startsOf", () => {
  it("follows a turn to the back along the clip although the face is scored as seen throughout", () => {
    const rest = restPointsOf(graphs.fit.points(), [...FACE, 7, 8])
    const root = [rest.joints[0]!, rest.joints[1]!, rest.joints[2]!]
    const turns = Array.from({ length: 19 }, (_, i) => (i * 10 * Math.PI) / 180)
    const landmarks = turns.map((turn) => {
      const r = turned(turn)
      const lm = new Float32Array(99)
      const put = (k: number, p: ArrayLike<number>) => {
        const d = [0, 1, 2].map((c) => p[c]! - root[c]!)
        const c = [0, 1, 2].map((row) => r[3 * row]! * d[0]! + r[3 * row + 1]! * d[1]! + r[3 * row + 2]! * d[2]! + (row === 2 ? 3 : 0))
        lm.set([(camera.fx * c[0]!) / c[2]! + camera.cx, (camera.fy * c[1]!) / c[2]! + camera.cy, 1], 3 * k)
      }
      for (const [k, j] of TORSO) put(k, rest.joints.subarray(3 * j, 3 * j + 3))
      for (const [k, p] of rest.face) put(k, p)
      return lm
    })
    const starts = startsOf(landmarks, rest, camera)!
    const errors = starts.map((s, i) => degrees(axisAngleToMatrix(s.pose), turned(turns[i]!)))
    assert.ok(errors.every((e) => e < 15), `degrees from the true turn: ${errors.map((e) => e.toFixed(0)).join(" ")}`)
  })
})
