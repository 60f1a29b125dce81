/** Half-pixel-centre bilinear taps with edge clamping, shared by the kernel and its reference. */

/** The two source indices and the weight of the second, for output index `i`. */
export const taps = (i: number, inSize: number, outSize: number): [number, number, number] => {
  const source = Math.max(0, ((i + 0.5) * inSize) / outSize - 0.5)
  const low = Math.min(Math.floor(source), inSize - 1)
  const high = Math.min(low + 1, inSize - 1)
  return [low, high, source - low]
}
