/**
 * Writes a recorded sequence in the GaussianAvatar layout, npz variant of the body
 * fit (the original code only torch.loads smpl_parms.pth; readGaussianAvatar reads both):
 *   <folder>/images/00000.png ..., masks/00000.png ... (grey, 255 = foreground),
 *   cam_parms.npz (intrinsic, extrinsic), smpl_parms.npz (beta [1, 10], body_pose [N, 72], trans [N, 3]).
 */
import { Effect } from "effect"
import { mkdir } from "node:fs/promises"
import { join } from "node:path"
import { ndarray } from "../io/ndarray.ts"
import { writeNpz } from "../io/npz.ts"
import { type Image8, writePng } from "../io/png.ts"
import { DatasetError } from "./errors.ts"
import { fromIoError } from "./recording.ts"

export interface SequenceToWrite {
  /** One per frame: the photo (RGB or RGBA) and its mask (1 channel, >= 128 = foreground). */
  readonly frames: ReadonlyArray<{ readonly image: Image8; readonly mask: Image8 }>
  /** [9] row-major 3x3 */
  readonly intrinsic: Float64Array
  /** [16] row-major 4x4, world to camera */
  readonly extrinsic: Float64Array
  /** [10] */
  readonly betas: Float32Array
  /** [N*72] */
  readonly poses: Float32Array
  /** [N*3] */
  readonly transl: Float32Array
}

const frameName = (i: number): string => `${String(i).padStart(5, "0")}.png`

const checkSizes = (folder: string, s: SequenceToWrite): Effect.Effect<void, DatasetError> => {
  const n = s.frames.length
  const problems = [
    s.intrinsic.length !== 9 && `intrinsic has ${s.intrinsic.length} numbers, expected 9`,
    s.extrinsic.length !== 16 && `extrinsic has ${s.extrinsic.length} numbers, expected 16`,
    s.betas.length !== 10 && `betas has ${s.betas.length} numbers, expected 10`,
    s.poses.length !== n * 72 && `poses has ${s.poses.length} numbers, expected ${n} frames x 72`,
    s.transl.length !== n * 3 && `transl has ${s.transl.length} numbers, expected ${n} frames x 3`
  ].filter((p): p is string => typeof p === "string")
  return problems.length === 0 ? Effect.void : Effect.fail(new DatasetError({ file: folder, reason: problems.join("; ") }))
}

export const writeGaussianAvatar = (folder: string, sequence: SequenceToWrite): Effect.Effect<void, DatasetError> =>
  Effect.gen(function* () {
    yield* checkSizes(folder, sequence)
    for (const sub of ["images", "masks"]) {
      yield* Effect.tryPromise({
        try: () => mkdir(join(folder, sub), { recursive: true }),
        catch: (cause) => new DatasetError({ file: join(folder, sub), reason: `cannot create folder: ${String(cause)}` })
      })
    }
    const n = sequence.frames.length
    yield* Effect.forEach(sequence.frames, ({ image, mask }, i) =>
      Effect.zipRight(writePng(join(folder, "images", frameName(i)), image), writePng(join(folder, "masks", frameName(i)), mask)), { discard: true })
    yield* writeNpz(join(folder, "cam_parms.npz"), {
      intrinsic: ndarray([3, 3], Float64Array.from(sequence.intrinsic)),
      extrinsic: ndarray([4, 4], Float64Array.from(sequence.extrinsic))
    })
    yield* writeNpz(join(folder, "smpl_parms.npz"), {
      beta: ndarray([1, 10], Float32Array.from(sequence.betas)),
      body_pose: ndarray([n, 72], Float32Array.from(sequence.poses)),
      trans: ndarray([n, 3], Float32Array.from(sequence.transl))
    })
  }).pipe(Effect.mapError((e) => (e._tag === "IoError" ? fromIoError(e) : e)))
