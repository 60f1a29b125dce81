/**
 * WGSL: the per-tile lists the compositing passes read, from the sorted
 * (tile, rank) pairs (emitPairs.ts, bitonic.ts), in one int32 buffer `bins`:
 *   [total, overflowed, start_0, end_0, ..., start_{T-1}, end_{T-1}, list_0, ..., list_{L-1}]
 * with T tiles (row-major), L = max(capacity, N). Tile t composites the
 * Gaussians list[start_t .. end_t), front to back. Each tile finds its range by
 * binary search for the first pair of its tile and of the next one; list[s]
 * is the Gaussian index of sorted pair s (order[rank]).
 * The pair buffer's capacity is fixed by the host before the total is known
 * (binning.ts). When total > capacity (overflowed = 1) every tile gets the
 * whole depth-sorted list (range 0 .. N, list = order), as before binning:
 * slower, still exact, since the compositing tests each Gaussian's tile
 * rectangle anyway.
 * Inputs order [P, 2], sums [n], pairs [capacity, 2] sorted; output int32 [2 + 2T + L].
 */
import { FlatProgram } from "./common.ts"

/** Offsets in the bins buffer. */
export const BINS = { total: 0, overflowed: 1, ranges: 2 } as const

/** Where the list starts in the bins buffer of `tiles` tiles. */
export const binsListOffset = (tiles: number): number => BINS.ranges + 2 * tiles

export class TileBinsProgram extends FlatProgram {
  shaderKey = "gavatarRasterizeTileBins"
  variableNames = ["order", "sums", "pairs"]
  uniforms = "length: i32, count: i32, capacity: i32, tiles: i32, listLength: i32,"

  constructor(tiles: number, listLength: number) {
    super([binsListOffset(tiles) + listLength], Math.max(tiles, listLength))
  }

  getUserCode(): string {
    return `
// The first sorted pair whose tile is >= tile (capacity when none).
fn firstPairFrom(tile: i32) -> i32 {
  var lo = 0;
  var hi = uniforms.capacity;
  while (lo < hi) {
    let mid = (lo + hi) / 2;
    if (pairs[mid * 2] < tile) { lo = mid + 1; } else { hi = mid; }
  }
  return lo;
}
fn main(index: i32) {
  let total = sums[uniforms.length - 1];
  let overflowed = total > uniforms.capacity;
  if (index == 0) {
    result[${BINS.total}] = total;
    result[${BINS.overflowed}] = select(0, 1, overflowed);
  }
  if (index < uniforms.tiles) {
    var range = vec2<i32>(0, uniforms.count);
    if (!overflowed) { range = vec2<i32>(firstPairFrom(index), firstPairFrom(index + 1)); }
    result[${BINS.ranges} + 2 * index] = range.x;
    result[${BINS.ranges} + 2 * index + 1] = range.y;
  }
  if (index < uniforms.listLength) {
    var g = -1;
    if (overflowed && index < uniforms.count) { g = order[index * 2 + 1]; }
    if (!overflowed && index < total) { g = order[pairs[index * 2 + 1] * 2 + 1]; }
    result[${BINS.ranges} + 2 * uniforms.tiles + index] = g;
  }
}
`
  }
}
