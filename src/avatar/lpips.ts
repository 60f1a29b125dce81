/**
 * LPIPS for training and evaluation comes only from the user's weight files (torchvision's AlexNet
 * state dict and LPIPS's linear heads, read by src/lpips/weights.ts). loadLpips reads them when
 * given and says once, through `say`, whether LPIPS is on; without files it says
 * "LPIPS off: no weights given (--lpips FILE)" and the avatar graphs get no LPIPS term.
 */
import { Effect } from "effect"
import type { IoError } from "../io/errors.ts"
import type { LpipsWeights } from "../lpips/alexnet.ts"
import { readLpipsWeights } from "../lpips/weights.ts"

export const lpipsOffMessage = "LPIPS off: no weights given (--lpips FILE)"

export interface LpipsFiles {
  /** torchvision's AlexNet state dict (.pth). */
  readonly alexnet: string
  /** LPIPS's linear heads for AlexNet (.pth, lin0..lin4). */
  readonly linear: string
}

/**
 * The files of `--lpips FILE` given once or twice: one file holding both the AlexNet and the linear
 * heads' tensors, or the AlexNet state dict then the linear heads; none: undefined (LPIPS off).
 */
export const lpipsFiles = (paths: ReadonlyArray<string>): LpipsFiles | undefined => {
  if (paths.length > 2) throw new Error(`--lpips: at most two files (AlexNet, then the linear heads), got ${paths.length}`)
  const [alexnet, linear] = paths
  return alexnet === undefined ? undefined : { alexnet, linear: linear ?? alexnet }
}

/** The line a loader prints once: LPIPS on (from which files) or off. */
export const lpipsStatus = (files: LpipsFiles | undefined): string =>
  files ? `LPIPS on: AlexNet ${files.alexnet}, linear heads ${files.linear}` : lpipsOffMessage

/** The weights for Stage1Config.lpips (undefined without files), after saying the status line once. */
export const loadLpips = (files: LpipsFiles | undefined, say: (line: string) => void = console.log): Effect.Effect<LpipsWeights | undefined, IoError> =>
  files
    ? Effect.tap(readLpipsWeights(files.alexnet, files.linear), () => Effect.sync(() => say(lpipsStatus(files))))
    : Effect.sync(() => {
        say(lpipsOffMessage)
        return undefined
      })
