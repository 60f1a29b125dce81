/**
 * LPIPS (Zhang et al. 2018, "alex" variant, v0.1) as data: the five AlexNet
 * convolutions whose ReLU outputs LPIPS compares, and its input scaling.
 * Channel counts come from the weight files (AlexNet's are 64, 192, 384, 256, 256).
 */

export interface ConvLayer {
  /** Key prefix in torchvision's alexnet state dict. */
  readonly key: string
  readonly kernel: number
  readonly stride: number
  /** Symmetric zero padding (PyTorch's padding=). */
  readonly pad: number
  /** A 3x3, stride-2 max-pool runs before this conv (AlexNet's features.2 and features.5). */
  readonly poolBefore: boolean
}

export const alexnetLayers: ReadonlyArray<ConvLayer> = [
  { key: "features.0", kernel: 11, stride: 4, pad: 2, poolBefore: false },
  { key: "features.3", kernel: 5, stride: 1, pad: 2, poolBefore: true },
  { key: "features.6", kernel: 3, stride: 1, pad: 1, poolBefore: true },
  { key: "features.8", kernel: 3, stride: 1, pad: 1, poolBefore: false },
  { key: "features.10", kernel: 3, stride: 1, pad: 1, poolBefore: false }
]

/** LPIPS's ScalingLayer: x in [-1, 1] becomes (x - shift) / scale per RGB channel. */
export const scalingShift: ReadonlyArray<number> = [-0.03, -0.088, -0.188]
export const scalingScale: ReadonlyArray<number> = [0.458, 0.448, 0.45]

/** Feature normalisation: f / (sqrt(sum_c f^2 + tiny) + 1e-10). `tiny` keeps the gradient finite at all-zero features. */
export const normEps = 1e-10
export const normTiny = 1e-20

export interface LpipsConv {
  /** [K, K, Cin, Cout] (tfjs layout; the file's [Cout, Cin, K, K] transposed). */
  readonly weight: Float32Array
  readonly bias: Float32Array
  readonly inChannels: number
  readonly outChannels: number
}

export interface LpipsWeights {
  readonly convs: ReadonlyArray<LpipsConv>
  /** Per layer, the non-negative 1x1 weights [C] of LPIPS's linear heads. */
  readonly lins: ReadonlyArray<Float32Array>
}

/** Output size of a conv or pool along one axis, PyTorch's floor rounding. */
export const outSize = (size: number, kernel: number, stride: number, pad: number): number => Math.floor((size + 2 * pad - kernel) / stride) + 1
