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
 * The kernel is chosen per backend: WebAssembly SIMD kernels (wasm/denseBlockWasm.ts, one thread or
 * two) where the target has their runner (the wasm backend's layer makes one), tfjs ops
 * (denseBlockTf.ts) elsewhere; both are checked by the same test.
 */
import type { KernelTarget, OpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import { denseBlockTf } from "./denseBlockTf.ts"
import { denseBlockSpec } from "./spec.ts"
import { denseBlockWasm } from "./wasm/denseBlockWasm.ts"

export const denseBlock: OpDef<typeof denseBlockSpec> = defineOpDef({
  spec: denseBlockSpec,
  kernel: { _tag: "PerBackend", select: (target: KernelTarget) => (target.denseBlocks ? denseBlockWasm(target.denseBlocks) : denseBlockTf) }
})
