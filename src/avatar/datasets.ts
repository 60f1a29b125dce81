/**
 * Opening a training dataset in any layout src/data reads, by looking at the folder:
 *   DIR/cam_parms.npz + DIR/images            a GaussianAvatar split folder
 *   DIR/train/cam_parms.npz                   a GaussianAvatar subject folder (its train split)
 *   DIR/cameras.npz                           an InstantAvatar / People-Snapshot subject (its train split)
 */
import { Effect } from "effect"
import { existsSync } from "node:fs"
import { join, resolve } from "node:path"
import type { Dataset } from "../data/dataset.ts"
import { readGaussianAvatar } from "../data/gaussian-avatar.ts"
import { readInstantAvatar } from "../data/instant-avatar.ts"
import { DatasetError } from "../data/errors.ts"

export type Layout = "GaussianAvatar" | "InstantAvatar"

/** Frames start..end (inclusive) every `step`, of an InstantAvatar subject (People-Snapshot female-3-casual: 0, 445, 4). */
export interface FrameSelection {
  readonly start: number
  readonly end: number
  readonly step: number
}

export interface OpenedData {
  readonly layout: Layout
  /** The folder actually read (the train split of a subject folder), absolute. */
  readonly folder: string
  readonly dataset: Dataset
}

/** The training frames of the dataset in `folder`; `selection` picks frames of an InstantAvatar subject (a GaussianAvatar split has its own). */
export const openTrainingData = (folder: string, selection?: FrameSelection): Effect.Effect<OpenedData, DatasetError> => {
  const dir = resolve(folder)
  const gaussianAvatar = (split: string) =>
    selection
      ? Effect.fail(new DatasetError({ file: split, reason: "a frame selection applies to InstantAvatar subjects; a GaussianAvatar split trains on all its frames" }))
      : Effect.map(readGaussianAvatar(split), (dataset): OpenedData => ({ layout: "GaussianAvatar", folder: split, dataset }))
  if (existsSync(join(dir, "cam_parms.npz"))) return gaussianAvatar(dir)
  if (existsSync(join(dir, "train", "cam_parms.npz"))) return gaussianAvatar(join(dir, "train"))
  if (existsSync(join(dir, "cameras.npz"))) {
    const picked = selection ? { start: selection.start, end: selection.end, skip: selection.step } : {}
    return Effect.map(readInstantAvatar(dir, { split: "train", ...picked }), (dataset): OpenedData => ({ layout: "InstantAvatar", folder: dir, dataset }))
  }
  return Effect.fail(
    new DatasetError({ file: dir, reason: "not a dataset: expected cam_parms.npz + images/ (GaussianAvatar split), train/cam_parms.npz (GaussianAvatar subject) or cameras.npz (InstantAvatar / People-Snapshot)" })
  )
}
