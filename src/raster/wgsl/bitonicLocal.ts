/**
 * WGSL bitonic steps inside workgroup memory: a workgroup of 256 threads loads
 * 512 consecutive keys, runs the compare-and-exchange steps whose stride is
 * below 512 (both keys of a pair then lie in its chunk), and writes them back,
 * one dispatch instead of one per step. block = 0 sorts each chunk (blocks 2 ..
 * min(512, P)); block >= 1024 finishes that merge block (strides 256 .. 1)
 * after bitonic.ts has run its strides >= 512. Directions as in bitonic.ts:
 * ascending where bit `block` of the lower key's global index is 0.
 * Keys [P, 2] -> keys [P, 2], P a power of two.
 */
import type { Program } from "./common.ts"
import { wgslKeyOrder } from "./common.ts"

/** Keys per workgroup: two per thread. */
export const localChunk = 512

export class BitonicLocalProgram implements Program {
  shaderKey = "gavatarRasterizeBitonicLocal"
  variableNames = ["keys"]
  uniforms = "block: i32, padded: i32,"
  outputShape: number[]
  dispatchLayout = { x: [0] }
  dispatch: [number, number, number]
  workgroupSize: [number, number, number] = [localChunk / 2, 1, 1]

  constructor(padded: number) {
    this.outputShape = [padded, 2]
    this.dispatch = [Math.max(1, padded / localChunk), 1, 1]
  }

  getUserCode(): string {
    return `
${wgslKeyOrder}
var<workgroup> chunkKeys: array<vec2<i32>, ${localChunk}>;
fn main(index: i32) {
  let chunk = (index / ${localChunk / 2}) * ${localChunk};
  let t = index % ${localChunk / 2};
  let n = min(uniforms.padded, ${localChunk});
  for (var k = t; k < n; k += ${localChunk / 2}) { chunkKeys[k] = vec2<i32>(keys[(chunk + k) * 2], keys[(chunk + k) * 2 + 1]); }
  workgroupBarrier();
  var firstBlock = uniforms.block;
  var lastBlock = uniforms.block;
  if (uniforms.block == 0) { firstBlock = 2; lastBlock = n; }
  for (var block = firstBlock; block <= lastBlock; block *= 2) {
    for (var stride = min(block / 2, ${localChunk / 2}); stride >= 1; stride /= 2) {
      let i = 2 * t - (t & (stride - 1));
      if (i + stride < n) {
        let a = chunkKeys[i];
        let b = chunkKeys[i + stride];
        if (before(b, a) == (((chunk + i) & block) == 0)) {
          chunkKeys[i] = b;
          chunkKeys[i + stride] = a;
        }
      }
      workgroupBarrier();
    }
  }
  for (var k = t; k < n; k += ${localChunk / 2}) {
    result[(chunk + k) * 2] = chunkKeys[k].x;
    result[(chunk + k) * 2 + 1] = chunkKeys[k].y;
  }
}
`
  }
}
