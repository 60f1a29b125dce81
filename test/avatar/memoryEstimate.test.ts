/**
 * The memory estimate (src/avatar/memoryEstimate.ts, coefficients fitted by `npm run bench --
 * memory`): the paper preset at 512x512 fits the WebAssembly heap's 4 GiB, it grows with the
 * Gaussians and the decoder width, and a configuration that cannot fit is refused with one line
 * naming the sizes, the estimate and the limit.
 */
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import type { MemoryShape } from "../../src/avatar/memoryEstimate.ts"
import { checkMemory, estimateMemory, MemoryTooSmall } from "../../src/avatar/memoryEstimate.ts"
import { paperSizes, quickSizes } from "../../src/graphs/avatar/config.ts"
import { wasmHeapLimit } from "../../src/runtime/memory.ts"

const GB = 1e9
const paper: MemoryShape = { gaussians: 173_643, pixels: 512 * 512, sizes: paperSizes }
const quick: MemoryShape = { gaussians: 10_834, pixels: 256 * 256, sizes: quickSizes }
const huge: MemoryShape = { gaussians: 700_000, pixels: 1024 * 1024, sizes: { querySize: 1024, featureSize: 256, channels: 64, hidden: 256 } }

describe("memory estimate", () => {
  it("the paper preset fits the WebAssembly heap; the quick preset is far below it", () => {
    const estimate = checkMemory(paper, [1, 2], 2, 512, 512, 64 * GB)
    assert.ok(!(estimate instanceof MemoryTooSmall), estimate instanceof MemoryTooSmall ? estimate.message : "")
    assert.ok(estimate.heapBytes < wasmHeapLimit && estimate.heapBytes > estimateMemory(quick, [1, 2]).heapBytes)
    assert.ok(estimateMemory(quick, [1, 2]).rssBytes < 1 * GB)
  })

  it("grows with the Gaussians and the decoder width", () => {
    const more = estimateMemory({ ...paper, gaussians: 2 * paper.gaussians }, [1])
    const wider = estimateMemory({ ...paper, sizes: { ...paperSizes, hidden: 256 } }, [1])
    const base = estimateMemory(paper, [1])
    assert.ok(more.heapBytes > base.heapBytes && wider.heapBytes > base.heapBytes)
  })

  it("refuses what cannot fit, in one line naming the sizes, the estimate and the limit", () => {
    const heap = checkMemory(huge, [1, 2], 1, 1024, 1024, 64 * GB)
    assert.ok(heap instanceof MemoryTooSmall)
    assert.match(heap.message, /^query 1024 \(700,000 Gaussians\), feature tensor 256 x 64, decoder 256, batch 1, 1024x1024 frames needs about [\d.]+ GiB, more than the WebAssembly heap's 4 GiB \(4\.00 GiB\): choose smaller sizes or frames$/)
    const machine = checkMemory(paper, [1, 2], 2, 512, 512, 0.5 * GB)
    assert.ok(machine instanceof MemoryTooSmall)
    assert.match(machine.message, /needs about [\d.]+ GiB, more than this machine's memory \(0\.47 GiB\)/)
  })
})
