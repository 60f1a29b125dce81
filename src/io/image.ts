/** Read a frame by its extension: PNG or JPEG, both as 8-bit RGBA. */
import type { Effect } from "effect"
import type { IoError } from "./errors.ts"
import { readJpeg } from "./jpeg.ts"
import type { Image8 } from "./png.ts"
import { readPng } from "./png.ts"

export const imageExtensions: ReadonlyArray<string> = [".png", ".jpg", ".jpeg"]

export const readImage = (file: string): Effect.Effect<Image8, IoError> => (/\.jpe?g$/i.test(file) ? readJpeg(file) : readPng(file))
