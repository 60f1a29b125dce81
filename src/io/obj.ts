/**
 * Wavefront OBJ meshes: positions (v), texture coordinates (vt) and faces (f) with
 * `v`, `v/vt`, `v//vn` or `v/vt/vn` corners (1-based, negative = relative to the end).
 * Polygons are split into triangle fans. Other statements are ignored.
 */
import { Effect } from "effect"
import { attempt, fail, type IoError, readBytes } from "./errors.ts"

export interface ObjMesh {
  /** [V*3] */
  readonly v: Float64Array
  /** [T*2] */
  readonly vt: Float64Array
  /** [F*3], 0-based indices into v */
  readonly f: Uint32Array
  /** [F*3], 0-based indices into vt; absent unless every face corner names a texture coordinate */
  readonly ft?: Uint32Array
}

const numbers = (parts: ReadonlyArray<string>, count: number, file: string, line: number): Array<number> => {
  const values = parts.slice(0, count).map(Number)
  if (values.length < count || values.some((x) => !Number.isFinite(x))) fail(file, `line ${line}: expected ${count} numbers`)
  return values
}

const resolveIndex = (text: string, size: number, file: string, line: number, what: string): number => {
  const i = Number(text)
  if (!Number.isInteger(i) || i === 0) fail(file, `line ${line}: bad ${what} index "${text}"`)
  const index = i > 0 ? i - 1 : size + i
  if (index < 0 || index >= size) fail(file, `line ${line}: ${what} index ${i} out of range (${size} defined)`)
  return index
}

const parseObjText = (text: string, file: string): ObjMesh => {
  const v: Array<number> = []
  const vt: Array<number> = []
  const f: Array<number> = []
  const ft: Array<number> = []
  let allCornersTextured = true
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1
    const [tag, ...parts] = raw.trim().split(/\s+/)
    if (tag === "v") v.push(...numbers(parts, 3, file, line))
    else if (tag === "vt") vt.push(...numbers(parts, 2, file, line))
    else if (tag === "f") {
      if (parts.length < 3) fail(file, `line ${line}: a face needs at least 3 corners`)
      const corners = parts.map((corner) => {
        const [p, t] = corner.split("/")
        const position = resolveIndex(p ?? "", v.length / 3, file, line, "vertex")
        const texture = t === undefined || t === "" ? undefined : resolveIndex(t, vt.length / 2, file, line, "texture")
        if (texture === undefined) allCornersTextured = false
        return { position, texture: texture ?? 0 }
      })
      for (let k = 1; k + 1 < corners.length; k++) {
        for (const c of [corners[0], corners[k], corners[k + 1]]) {
          f.push(c!.position)
          ft.push(c!.texture)
        }
      }
    }
  })
  const mesh = { v: Float64Array.from(v), vt: Float64Array.from(vt), f: Uint32Array.from(f) }
  return allCornersTextured && f.length > 0 ? { ...mesh, ft: Uint32Array.from(ft) } : mesh
}

export const parseObj = (bytes: Uint8Array, file: string): Effect.Effect<ObjMesh, IoError> =>
  attempt(file, undefined, () => parseObjText(new TextDecoder().decode(bytes), file))

export const readObj = (file: string): Effect.Effect<ObjMesh, IoError> => Effect.flatMap(readBytes(file), (bytes) => parseObj(bytes, file))
