/**
 * WGSL: the number of 16x16 tiles touched by each Gaussian, in depth order:
 * counts[k] = area of the tile rectangle of the Gaussian of depth rank k, 0
 * for culled ones (and for the single stand-in entry when N = 0).
 * Inputs splats [N, 16], order [P, 2] (sort.ts); output int32 [max(1, N)].
 */
import { FlatProgram, wgslTileRect } from "./common.ts"
import { culledKey } from "./sort.ts"

export class TileCountProgram extends FlatProgram {
  shaderKey = "gavatarRasterizeTileCount"
  variableNames = ["splats", "order"]
  uniforms = "length: i32,"

  constructor(length: number) {
    super([length], length)
  }

  getUserCode(): string {
    return `
${wgslTileRect}
fn main(index: i32) {
  if (index >= uniforms.length) { return; }
  var area = 0;
  if (order[index * 2] != ${culledKey}) {
    let r = tileRect(order[index * 2 + 1]);
    area = (r.z - r.x) * (r.w - r.y);
  }
  result[index] = area;
}
`
  }
}
