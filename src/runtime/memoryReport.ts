/**
 * What each graph node keeps alive through the backward pass: the buffers its kernels saved for
 * their gradients (forward outputs and inputs, a custom op's saved record), each buffer counted once
 * (views and clones share one), for the memory bench.
 */
import type * as tf from "@tensorflow/tfjs"
import type { TapeMarks } from "./forward.ts"
import type { TapeNode } from "./gradients.ts"

export interface NodeBytes {
  readonly node: string
  readonly bytes: number
}

const bytesOf = (t: tf.Tensor): number => t.size * (t.dtype === "bool" ? 1 : 4)

/** Saved bytes per graph node (marks from forward.ts), largest first; a buffer saved twice counts for the first node. */
export const savedBytesByNode = (tape: ReadonlyArray<TapeNode>, marks: TapeMarks): ReadonlyArray<NodeBytes> => {
  const seen = new Set<unknown>()
  const bytes = new Map<string, number>()
  for (const node of tape) {
    const owner = marks.find(([, mark]) => node.id < mark)?.[0] ?? "the weighted sum of the loss terms"
    for (const t of node.saved ?? []) {
      if (t.isDisposed || seen.has(t.dataId)) continue
      seen.add(t.dataId)
      bytes.set(owner, (bytes.get(owner) ?? 0) + bytesOf(t))
    }
  }
  return [...bytes].map(([node, b]) => ({ node, bytes: b })).sort((a, b) => b.bytes - a.bytes)
}
