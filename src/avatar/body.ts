/**
 * The body model of a run: the open body (generated, the default) or an SMPL file the user supplies
 * (.npz or the original .pkl) with its UV layout (.obj). Datasets fit 10 betas, so a model with more
 * shape directions (SMPL files often have 300) keeps its first 10, ordered by variance.
 */
import { Effect, Schema } from "effect"
import type { BodyModel } from "../body/model.ts"
import type { IoError } from "../io/errors.ts"
import { toBodyModel } from "../smpl/bodyModel.ts"
import { readSmpl } from "../smpl/load.ts"
import { readUvLayout } from "../smpl/uv.ts"

export const BETAS = 10

export const BodyChoiceSchema = Schema.Union(
  Schema.Struct({ kind: Schema.Literal("open") }),
  Schema.Struct({ kind: Schema.Literal("smpl"), file: Schema.String, uv: Schema.String })
)

export type BodyChoice = Schema.Schema.Type<typeof BodyChoiceSchema>

/** The first `count` shape directions of a model with more. */
export const firstShapeDirections = (body: BodyModel, count: number): BodyModel => {
  if (body.shapeCount <= count) return body
  const shapeDirs = new Float64Array(body.vertexCount * 3 * count)
  for (let row = 0; row < body.vertexCount * 3; row++) shapeDirs.set(body.shapeDirs.subarray(row * body.shapeCount, row * body.shapeCount + count), row * count)
  return { ...body, shapeCount: count, shapeDirs }
}

/** The chosen body; undefined for the open body, which the graph builders make themselves. */
export const loadBody = (choice: BodyChoice): Effect.Effect<BodyModel | undefined, IoError> =>
  choice.kind === "open"
    ? Effect.succeed(undefined)
    : readSmpl(choice.file).pipe(
        Effect.flatMap((smpl) => readUvLayout(smpl, choice.uv)),
        Effect.flatMap(toBodyModel),
        Effect.map((body) => firstShapeDirections(body, BETAS))
      )

export const describeBody = (choice: BodyChoice): string => (choice.kind === "open" ? "the open body" : `SMPL ${choice.file} (UV ${choice.uv})`)
