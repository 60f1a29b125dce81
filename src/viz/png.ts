/** Write a Canvas as a PNG file (through src/io/png.ts): whole or not at all, creating the folder if needed. */
import type { Effect } from "effect"
import { commitTemporary, writeTemporary } from "../io/atomic.ts"
import type { IoError } from "../io/errors.ts"
import type { Image8 } from "../io/png.ts"
import { encodePng, writePng as writeImage } from "../io/png.ts"
import type { Canvas } from "./canvas.ts"

export const canvasImage = (canvas: Canvas): Image8 => ({ width: canvas.width, height: canvas.height, channels: 4, data: canvas.pixels })

/** Throws the fs error on failure (scripts); no partial file is left. */
export const writePng = (file: string, canvas: Canvas): void => commitTemporary(writeTemporary(file, [encodePng(canvasImage(canvas))]), file)

/** The Effect form: an IoError naming the file and the problem ("no space left on ..."); no partial file is left. */
export const savePng = (file: string, canvas: Canvas): Effect.Effect<void, IoError> => writeImage(file, canvasImage(canvas))
