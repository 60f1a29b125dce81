/**
 * The body model of a run: the open body (generated, the default) or an SMPL file the user supplies
 * (.npz or the original .pkl) with its UV layout (.obj). Datasets fit 10 betas, so a model with more
 * shape directions (SMPL files often have 300) keeps its first 10, ordered by variance.
 */
import { Effect, Schema } from "effect"
import type { BodyModel } from "./model.ts"
import type { IoError } from "../io/errors.ts"
import { toBodyModel } from "./smpl/bodyModel.ts"
import { readSmpl } from "./smpl/load.ts"
import { readUvLayout } from "./smpl/uv.ts"

export const BETAS = 10

const OpenBodySchema = Schema.TaggedStruct("Open", {})
const SmplBodySchema = Schema.TaggedStruct("Smpl", { file: Schema.String, uv: Schema.String })
const TaggedBodyChoice = Schema.Union(OpenBodySchema, SmplBodySchema)

/** run.json files written before the choice was tagged: { kind: "open" } / { kind: "smpl", file, uv }. */
const LegacyBodyChoice = Schema.transform(
  Schema.Union(Schema.Struct({ kind: Schema.Literal("open") }), Schema.Struct({ kind: Schema.Literal("smpl"), file: Schema.String, uv: Schema.String })),
  Schema.typeSchema(TaggedBodyChoice),
  {
    strict: true,
    decode: (legacy) => (legacy.kind === "open" ? { _tag: "Open" as const } : { _tag: "Smpl" as const, file: legacy.file, uv: legacy.uv }),
    encode: (choice) => (choice._tag === "Open" ? { kind: "open" as const } : { kind: "smpl" as const, file: choice.file, uv: choice.uv })
  }
)

/** The open body, or an SMPL file with its UV layout; also reads the untagged form of older run.json files. */
export const BodyChoiceSchema = Schema.Union(TaggedBodyChoice, LegacyBodyChoice)

export type BodyChoice = Schema.Schema.Type<typeof TaggedBodyChoice>

export const openBodyChoice: BodyChoice = { _tag: "Open" }

/** The first `count` shape directions of a model with more. */
export const firstShapeDirections = (body: BodyModel, count: number): BodyModel => {
  if (body.shapeCount <= count) return body
  const shapeDirs = new Float64Array(body.vertexCount * 3 * count)
  for (let row = 0; row < body.vertexCount * 3; row++) shapeDirs.set(body.shapeDirs.subarray(row * body.shapeCount, row * body.shapeCount + count), row * count)
  return { ...body, shapeCount: count, shapeDirs }
}

/** The chosen body; undefined for the open body, which the graph builders make themselves. */
export const loadBody = (choice: BodyChoice): Effect.Effect<BodyModel | undefined, IoError> =>
  choice._tag === "Open"
    ? Effect.succeed(undefined)
    : readSmpl(choice.file).pipe(
        Effect.flatMap((smpl) => readUvLayout(smpl, choice.uv)),
        Effect.flatMap(toBodyModel),
        Effect.map((body) => firstShapeDirections(body, BETAS))
      )

export const describeBody = (choice: BodyChoice): string => (choice._tag === "Open" ? "the open body" : `SMPL ${choice.file} (UV ${choice.uv})`)
