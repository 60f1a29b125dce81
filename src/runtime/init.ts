/** Param initialisers: fill a Float32Array from an Init and the run's seeded generator. */
import type { Init } from "../dsl/graph.ts"
import type { Rng } from "../math/rng.ts"

const fans = (shape: ReadonlyArray<number>): { fanIn: number; fanOut: number } => {
  if (shape.length < 2) return { fanIn: shape[0] ?? 1, fanOut: shape[0] ?? 1 }
  const last = shape[shape.length - 1] as number
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1)
  return { fanIn: receptive * (shape[shape.length - 2] as number), fanOut: receptive * last }
}

/** Values drawn for a param (FromDataset and Given values come from the dataset and run()'s constants instead). */
export const initialValues = (init: Init, shape: ReadonlyArray<number>, rng: Rng): Float32Array => {
  const size = shape.reduce((a, b) => a * b, 1)
  switch (init._tag) {
    case "Zeros":
      return new Float32Array(size)
    case "Constant":
      return new Float32Array(size).fill(init.value)
    case "Normal":
      return Float32Array.from({ length: size }, () => init.mean + init.std * rng.normal())
    case "Uniform":
      return Float32Array.from({ length: size }, () => init.low + (init.high - init.low) * rng.uniform())
    case "GlorotUniform": {
      const { fanIn, fanOut } = fans(shape)
      const limit = Math.sqrt(6 / (fanIn + fanOut))
      return Float32Array.from({ length: size }, () => (2 * rng.uniform() - 1) * limit)
    }
    case "FromDataset":
    case "Given":
      throw new Error(`${init._tag} inits are resolved by the param store, not drawn`)
  }
}
