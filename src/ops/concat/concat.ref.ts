/** Float64 reference of concat along the last axis. */
import type { Reference } from "../contract.ts"
import type { ConcatAttrs } from "./spec.ts"

export const concatReference: Reference<"a" | "b", "out", ConcatAttrs> = {
  forward: ({ a, b }, { channelsA, channelsB }) => {
    const rows = a.data.length / channelsA
    const width = channelsA + channelsB
    const data = new Float64Array(rows * width)
    for (let r = 0; r < rows; r++) {
      data.set(a.data.subarray(r * channelsA, (r + 1) * channelsA), r * width)
      data.set(b.data.subarray(r * channelsB, (r + 1) * channelsB), r * width + channelsA)
    }
    return { out: { shape: [...a.shape.slice(0, -1), width], data } }
  }
}
