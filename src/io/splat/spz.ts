/**
 * .spz (Niantic's compressed splat format: gzip, a 16-byte header, attribute-major fixed-point
 * data) written by a maintained package rather than by us: Spark (@sparkjsdev/spark, MIT) transcodes
 * our standard .ply (ply.ts) to .spz in its WebAssembly module (degree 0, 12 fractional bits of
 * position: 0.24 mm). The .ply handed over carries the 45 f_rest zeros: Spark 2.2's transform of a
 * splat array without them indexes an empty array and panics. Spark compiles that module when it is first imported and exposes no promise
 * for it, so the call is retried until the module answers (a few hundred milliseconds at most).
 */
import { Effect } from "effect"
import { IoError } from "../errors.ts"
import type { GaussianCloud } from "./cloud.ts"
import { encodePly } from "./ply.ts"

const READY_TRIES = 100
const RETRY_MS = 50

type Transcode = (input: { inputs: Array<{ fileBytes: Uint8Array; fileType: string; pathOrUrl: string }>; maxSh: number; fractionalBits: number; clipXyz: { min: number[]; max: number[] } }) => Promise<{ fileBytes: Uint8Array }>

const notReady = (error: unknown): boolean => error instanceof TypeError && /undefined/.test(error.message)

/** The .spz bytes of a cloud (`file` names the destination in errors). */
export const encodeSpz = (file: string, cloud: GaussianCloud): Effect.Effect<Uint8Array, IoError> =>
  Effect.tryPromise({
    try: async () => {
      const ply = encodePly(cloud, { shRest: true })
      const spark = (await import("@sparkjsdev/spark")) as unknown as { readonly transcodeSpz: Transcode }
      for (let attempt = 0; ; attempt++) {
        try {
          const { fileBytes } = await spark.transcodeSpz({ inputs: [{ fileBytes: ply, fileType: "ply", pathOrUrl: "avatar.ply" }], maxSh: 0, fractionalBits: 12, clipXyz: { min: [-1e9, -1e9, -1e9], max: [1e9, 1e9, 1e9] } })
          return fileBytes
        } catch (error) {
          if (!notReady(error) || attempt >= READY_TRIES) throw error
          await new Promise((done) => setTimeout(done, RETRY_MS))
        }
      }
    },
    catch: (cause) => new IoError({ file, reason: `Spark's .spz writer failed: ${cause instanceof Error ? cause.message : String(cause)}` })
  })
