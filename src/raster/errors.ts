/** Typed errors of the rasteriser's kernels. */
import { Data } from "effect"

/** An input of the rasteriser that cannot be rendered: NaN or infinite values, inconsistent sizes. */
export class RasterizeInputError extends Data.TaggedError("RasterizeInputError")<{
  readonly input: string
  readonly reason: string
}> {
  override get message(): string {
    return `rasterize: input "${this.input}" ${this.reason}`
  }
}
