/**
 * Example: the open body in several poses of a real SMPL motion, side by side
 * (out/body-strip.png), and its UV position maps: canonical pose, and the
 * first posed frame through posedPositionMap's reference (out/body-uv-positions.png).
 * Global orientation is set to zero so every pose faces the viewer.
 * Run: npx tsx examples/body-strip.ts
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { PNG } from "pngjs"
import { openBody } from "../src/body/openBody.ts"
import { bodyForward64 } from "../src/body/forward64.ts"
import { canonicalBody } from "../src/body/canonical.ts"
import { posedPositionMapReference } from "../src/ops/posedPositionMap/posedPositionMap.ref.ts"
import { texelCorners, uvMaps } from "../src/body/uv/uvMaps.ts"
import { blankImage, paintMesh } from "./body-painter.ts"
import { loadMotion } from "./body-smplPoses.ts"

const PANELS = 8
const PANEL_WIDTH = 330
const HEIGHT = 400
const UV_SIZE = 256

const body = openBody()
const motion = await loadMotion()
const arrays = { vTemplate: body.vTemplate, shapeDirs: body.shapeDirs, jRegressor: body.jRegressor, weights: body.weights, parents: Array.from(body.parents) }
const framesShown = Array.from({ length: Math.min(PANELS, motion.frames) }, (_, i) => Math.floor((i * motion.frames) / Math.min(PANELS, motion.frames)))

const posedFrame = (frame: number) => {
  const pose = motion.poses.slice(frame * 72, frame * 72 + 72)
  pose.fill(0, 0, 3)
  return bodyForward64(arrays, new Float64Array(body.shapeCount), pose, new Float64Array(3), 1)
}

const strip = blankImage(PANEL_WIDTH * (framesShown.length + 1), HEIGHT)
const canonical = canonicalBody(body)
const panels = [canonical.vertices, ...framesShown.map((f) => posedFrame(f).vertices)]
panels.forEach((vertices, i) => {
  const colour: [number, number, number] = i === 0 ? [150, 190, 230] : [235, 200, 170]
  const cy = i === 0 ? -0.33 + 0.3 : -0.33
  paintMesh(strip, vertices, body.faces, { cx: 0, cy, scale: 185, left: i * PANEL_WIDTH, panelWidth: PANEL_WIDTH }, colour)
})

/** Positions mapped to colours: each axis over the body's extent. */
const positionsImage = (positions: Float64Array, valid: Uint8Array, size: number, x0: number, png: PNG): void => {
  const lo = [Infinity, Infinity, Infinity]
  const hi = [-Infinity, -Infinity, -Infinity]
  valid.forEach((ok, t) => {
    if (!ok) return
    for (let c = 0; c < 3; c++) {
      lo[c] = Math.min(lo[c]!, positions[3 * t + c]!)
      hi[c] = Math.max(hi[c]!, positions[3 * t + c]!)
    }
  })
  for (let t = 0; t < size * size; t++) {
    const at = 4 * ((Math.floor(t / size)) * png.width + x0 + (t % size))
    const rgb = valid[t] ? [0, 1, 2].map((c) => (255 * (positions[3 * t + c]! - lo[c]!)) / (hi[c]! - lo[c]!)) : [255, 255, 255]
    png.data.set([...rgb, 255], at)
  }
}

const maps = uvMaps({ vertices: canonical.vertices, faces: body.faces, uv: body.uv, weights: body.weights, jointCount: 24 }, UV_SIZE)
const { texelVertices, texelBary } = texelCorners(maps, body.faces)
const firstPosed = posedFrame(framesShown[1] ?? 0).vertices
const posedMap = posedPositionMapReference.forward(
  {
    vertices: { shape: [1, body.vertexCount, 3], data: firstPosed },
    texelVertices: { shape: [UV_SIZE * UV_SIZE, 3], data: Float64Array.from(texelVertices) },
    texelBary: { shape: [UV_SIZE * UV_SIZE, 3], data: texelBary }
  },
  { size: UV_SIZE }
).map
const uvImage = new PNG({ width: 2 * UV_SIZE + 8, height: UV_SIZE })
uvImage.data.fill(255)
positionsImage(maps.positions, maps.valid, UV_SIZE, 0, uvImage)
positionsImage(posedMap.data, maps.valid, UV_SIZE, UV_SIZE + 8, uvImage)

mkdirSync("out", { recursive: true })
writeFileSync("out/body-strip.png", PNG.sync.write(strip.png))
writeFileSync("out/body-uv-positions.png", PNG.sync.write(uvImage))
console.log(`motion: ${motion.source}; frames shown ${framesShown.join(", ")} (first panel: canonical pose)`)
console.log(`body: ${body.vertexCount} vertices, ${body.faces.length / 3} faces; valid texels at ${UV_SIZE}: ${(maps.validTexels.length / (UV_SIZE * UV_SIZE)).toFixed(3)}`)
console.log("wrote out/body-strip.png and out/body-uv-positions.png")
