/**
 * denseBlock: the decoder's block as one op,
 *   z = x · weight + bias, s = softplus(z), out = (s - m) / sqrt(v + eps) * scale + shift,
 * with m, v the batch mean and (biased) variance of s per channel in training, the running ones in
 * evaluation; batchMean = m_batch, batchVar = v_batch * n / (n - 1) (unbiased, as PyTorch updates
 * its running variance), both outputs in both modes (training reads them only for the running
 * statistics; their gradients are exact all the same).
 * Shapes: x [N, I], weight [I, O], bias, runningMean, runningVar, scale, shift [O] -> out [N, O],
 * batchMean, batchVar [O]. Smooth for eps > 0; running statistics carry no gradient.
 * Memory: the backward keeps only the op's inputs and recomputes the rest (denseBlockTf.ts).
 * The kernel is chosen per backend: every backend runs the tfjs one now; a faster kernel for a
 * backend (a WebAssembly SIMD one for wasm, say) is a CustomKernel<typeof denseBlockSpec,
 * DenseBlockSaved> returned by `select` for that target, checked by the same test.
 */
import type { KernelTarget, OpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import { denseBlockTf } from "./denseBlockTf.ts"
import { denseBlockSpec } from "./spec.ts"

export const denseBlock: OpDef<typeof denseBlockSpec> = defineOpDef({
  spec: denseBlockSpec,
  kernel: { _tag: "PerBackend", select: (_target: KernelTarget) => denseBlockTf }
})
