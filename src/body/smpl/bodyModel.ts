/**
 * An SMPL file as the project's BodyModel: 24 joints in SMPL's order and a UV
 * layout. OBJ texture coordinates have v growing up; BodyModel's grow down the
 * image (src/body/model.ts), so v becomes 1 - v here.
 */
import { Effect } from "effect"
import type { BodyModel } from "../model.ts"
import { JOINT_COUNT, SMPL_JOINT_NAMES, SMPL_PARENTS } from "../model.ts"
import { IoError } from "../../io/errors.ts"
import type { SmplFile } from "./types.ts"

export const toBodyModel = (smpl: SmplFile): Effect.Effect<BodyModel, IoError> => {
  const fail = (key: string, reason: string) => Effect.fail(new IoError({ file: smpl.file, key, reason }))
  if (smpl.jointCount !== JOINT_COUNT)
    return fail("kintree_table", `${smpl.jointCount} joints; the avatar needs SMPL's 24 (an SMPL-X file has no SMPL hand joints 22-23)`)
  const wrongParent = SMPL_PARENTS.findIndex((p, j) => smpl.parents[j] !== p)
  if (wrongParent >= 0) return fail("kintree_table", `joint ${wrongParent}'s parent is ${smpl.parents[wrongParent]}, SMPL's is ${SMPL_PARENTS[wrongParent]}`)
  if (!smpl.uv) return fail("uv", "no UV layout: attach the SMPL UV OBJ with readUvLayout first")
  const vt = Float64Array.from(smpl.uv.vt, (value, i) => (i % 2 === 1 ? 1 - value : value))
  return Effect.succeed({
    vertexCount: smpl.vertexCount,
    shapeCount: smpl.shapeCount,
    vTemplate: smpl.vTemplate,
    faces: smpl.faces,
    uv: { vt, ft: smpl.uv.ft },
    weights: smpl.weights,
    shapeDirs: smpl.shapeDirs,
    poseDirs: smpl.poseDirs,
    jRegressor: smpl.jRegressor,
    parents: Int32Array.from(SMPL_PARENTS),
    jointNames: SMPL_JOINT_NAMES
  })
}
