/**
 * WGSL: the (tile, depth rank) key of every (tile, Gaussian) pair, one thread
 * per slot s of a buffer of `capacity` slots. With sums the inclusive prefix
 * sum of the per-rank tile counts (tileCount.ts, scan.ts), slot s belongs to the
 * smallest rank k with sums[k] > s (binary search), as its (s - sums[k - 1])-th
 * tile in row-major order of its tile rectangle. Slots at or beyond the total
 * sums[n - 1] get (culledKey, culledKey), which sorts last; pairs beyond the
 * capacity are not written (tileBins.ts then falls back, see there).
 * The depth rank stands for (depth, index): sorting keys by (tile, rank) is
 * sorting pairs by (tile, depth, index).
 * Inputs splats [N, 16], order [P, 2], sums [n]; output int32 [capacity, 2].
 */
import { FlatProgram, wgslTileRect } from "./common.ts"
import { culledKey } from "./sort.ts"

export class EmitPairsProgram extends FlatProgram {
  shaderKey = "gavatarRasterizeEmitPairs"
  variableNames = ["splats", "order", "sums"]
  uniforms = "length: i32, capacity: i32, tilesX: i32,"

  constructor(capacity: number) {
    super([capacity, 2], capacity)
  }

  getUserCode(): string {
    return `
${wgslTileRect}
fn main(index: i32) {
  if (index >= uniforms.capacity) { return; }
  if (index >= sums[uniforms.length - 1]) {
    result[index * 2] = ${culledKey};
    result[index * 2 + 1] = ${culledKey};
    return;
  }
  var lo = 0;
  var hi = uniforms.length - 1;
  while (lo < hi) {
    let mid = (lo + hi) / 2;
    if (sums[mid] > index) { hi = mid; } else { lo = mid + 1; }
  }
  var first = 0;
  if (lo > 0) { first = sums[lo - 1]; }
  let j = index - first;
  let r = tileRect(order[lo * 2 + 1]);
  let width = r.z - r.x;
  result[index * 2] = (r.y + j / width) * uniforms.tilesX + r.x + j % width;
  result[index * 2 + 1] = lo;
}
`
  }
}
