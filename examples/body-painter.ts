/**
 * A small z-buffer triangle painter for the body examples: orthographic view
 * along -z (the body faces the viewer), flat shading from one light, drawn
 * into an RGBA buffer that pngjs writes.
 */
import { PNG } from "pngjs"

export interface Panel {
  readonly png: PNG
  readonly depth: Float64Array
}

export const blankImage = (width: number, height: number): Panel => {
  const png = new PNG({ width, height })
  png.data.fill(255)
  return { png, depth: new Float64Array(width * height).fill(-Infinity) }
}

export interface View {
  /** Image position of the world point (cx, cy), pixels per metre, horizontal offset of the panel. */
  readonly cx: number
  readonly cy: number
  readonly scale: number
  readonly left: number
  readonly panelWidth: number
}

const light = (() => {
  const l = [-0.4, 0.5, 1]
  const n = Math.hypot(l[0]!, l[1]!, l[2]!)
  return l.map((x) => x / n) as [number, number, number]
})()

/** Paint the mesh (vertices [V, 3] at `offset` floats into `vertices`) into the panel. */
export const paintMesh = (image: Panel, vertices: Float64Array, faces: Uint32Array, view: View, colour: readonly [number, number, number]): void => {
  const { png, depth } = image
  const px = (v: number): [number, number, number] => [
    view.left + view.panelWidth / 2 + (vertices[3 * v]! - view.cx) * view.scale,
    png.height / 2 - (vertices[3 * v + 1]! - view.cy) * view.scale,
    vertices[3 * v + 2]!
  ]
  for (let f = 0; f < faces.length; f += 3) {
    const a = px(faces[f]!), b = px(faces[f + 1]!), c = px(faces[f + 2]!)
    const area = (b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])
    if (area >= 0) continue // facing away (image y points down)
    const shade = faceShade(vertices, faces, f)
    const minX = Math.max(view.left, Math.floor(Math.min(a[0], b[0], c[0])))
    const maxX = Math.min(view.left + view.panelWidth - 1, Math.ceil(Math.max(a[0], b[0], c[0])))
    const minY = Math.max(0, Math.floor(Math.min(a[1], b[1], c[1])))
    const maxY = Math.min(png.height - 1, Math.ceil(Math.max(a[1], b[1], c[1])))
    for (let y = minY; y <= maxY; y++)
      for (let x = minX; x <= maxX; x++) {
        const p = [x + 0.5, y + 0.5]
        const w0 = ((b[0] - p[0]!) * (c[1] - p[1]!) - (c[0] - p[0]!) * (b[1] - p[1]!)) / area
        const w1 = ((c[0] - p[0]!) * (a[1] - p[1]!) - (a[0] - p[0]!) * (c[1] - p[1]!)) / area
        const w2 = 1 - w0 - w1
        if (w0 < 0 || w1 < 0 || w2 < 0) continue
        const z = w0 * a[2] + w1 * b[2] + w2 * c[2]
        const at = y * png.width + x
        if (z <= depth[at]!) continue
        depth[at] = z
        png.data.set([colour[0] * shade, colour[1] * shade, colour[2] * shade, 255], 4 * at)
      }
  }
}

const faceShade = (v: Float64Array, faces: Uint32Array, f: number): number => {
  const a = 3 * faces[f]!, b = 3 * faces[f + 1]!, c = 3 * faces[f + 2]!
  const e1 = [v[b]! - v[a]!, v[b + 1]! - v[a + 1]!, v[b + 2]! - v[a + 2]!]
  const e2 = [v[c]! - v[a]!, v[c + 1]! - v[a + 1]!, v[c + 2]! - v[a + 2]!]
  const n = [e1[1]! * e2[2]! - e1[2]! * e2[1]!, e1[2]! * e2[0]! - e1[0]! * e2[2]!, e1[0]! * e2[1]! - e1[1]! * e2[0]!]
  const len = Math.hypot(n[0]!, n[1]!, n[2]!) || 1
  const lambert = Math.max(0, (n[0]! * light[0] + n[1]! * light[1] + n[2]! * light[2]) / len)
  return 0.25 + 0.75 * lambert
}
