/**
 * Attaching a UV layout from an OBJ (such as SMPL's smpl_uv.obj): the OBJ's faces
 * must be the model's faces in the same order, so that ft lines up with faces.
 */
import { Effect } from "effect"
import { IoError } from "../../io/errors.ts"
import { type ObjMesh, readObj } from "../../io/obj.ts"
import type { SmplFile } from "./types.ts"

export const withUvLayout = (model: SmplFile, obj: ObjMesh, objFile: string): Effect.Effect<SmplFile, IoError> => {
  const fail = (reason: string) => Effect.fail(new IoError({ file: objFile, reason }))
  if (obj.ft === undefined) return fail("faces without texture coordinates (expected f v/vt corners)")
  if (obj.f.length !== model.faces.length) return fail(`${obj.f.length / 3} faces, but the body model ${model.file} has ${model.faces.length / 3}`)
  const differs = obj.f.findIndex((v, i) => v !== model.faces[i])
  if (differs >= 0) return fail(`face ${Math.floor(differs / 3)} differs from the body model ${model.file}'s (the UV faces must follow the model's face order)`)
  return Effect.succeed({ ...model, uv: { vt: Float32Array.from(obj.vt), ft: obj.ft } })
}

export const readUvLayout = (model: SmplFile, objFile: string): Effect.Effect<SmplFile, IoError> =>
  Effect.flatMap(readObj(objFile), (obj) => withUvLayout(model, obj, objFile))
