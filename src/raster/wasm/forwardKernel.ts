/**
 * WebAssembly SIMD forward compositing (the math of composite.ts, hard cut-offs
 * only). Tiles are split into 4x4 blocks; each block gets the list of its
 * tile's Gaussians whose footprint rectangle touches it (blockList), then each
 * row of 4 pixels runs front to back as one f32x4 per quantity: per lane,
 * power = 0.5 (A dx^2 + C dy^2) + B dx dy, alpha = min(0.99, o exp(-power)),
 * the pair is skipped when power < 0, power > cutoff or alpha < 1/255, and the
 * lane stops (without blending) once T (1 - alpha) <= 1e-4; the row stops when
 * all four lanes have. All arithmetic is float32.
 * Writes (H, W, 7) pixels as composite.ts PX; returns the pairs evaluated.
 */
import type { Code, Local } from "../../wasm/emit.ts"
import { named, brIf, call, f32, f32c, f32T, forUp, get, i32, i32c, i32T, seq, set, v, v128T, wasmFunction, when } from "../../wasm/emit.ts"
import type { WasmFunction } from "../../wasm/emit.ts"
import { blockCounts, C, pixelBytes, S, splatLog2 } from "./layout.ts"
import type { Constants } from "../../wasm/simdMath.ts"
import { constantPool, expNegInto } from "../../wasm/simdMath.ts"
import { alphaMax, alphaMin, tileSize, transmittanceMin } from "../constants.ts"

/** Function indices in the module (rasterWasm.ts lists the functions in this order). */
export const F = { tileBlockLists: 0, forwardRow: 1, forwardTiles: 2, backwardRow: 3, backwardTiles: 4, reduceGrads: 5 } as const
export const blockSize = 4

export const cfgI32 = (cfg: Local, field: number): Code => i32.load(get(cfg), field)
/** Address of splat `index`, given the splats base address in a local. */
export const splatAddress = (splats: Local, index: Code): Code => i32.add(get(splats), i32.mul(index, i32c(1 << splatLog2)))
export const pixelAddress = (cfg: Local, x: Code, y: Code): Code => i32.add(cfgI32(cfg, C.pixels), i32.mul(i32.add(i32.mul(y, cfgI32(cfg, C.width)), x), i32c(pixelBytes)))

const blocksPerSide = tileSize / 4

/** First or last block row/column (0..3) of a tile touched by [centre - radius, centre + radius] (the block test of composite.ts blockList). */
const blockIndex = (value: Code, round: typeof f32.ceil, origin: Local, shift: number): Code =>
  i32.truncSatF32(round(f32.mul(f32.sub(f32.sub(value, f32.fromI32(get(origin))), f32c(shift)), f32c(1 / blockSize))))

/**
 * tileBlockLists(cfg, start, stop, tx0, ty0): for each 4x4 block b (row-major in the tile) the indices
 * of tileList[start..stop) whose footprint rectangle contains a pixel centre of the block (in list order),
 * at cfg.sub + b * cfg.subStride, and their count at cfg + blockCounts + 4 b. One pass over the tile list:
 * each entry gets a 16-bit mask of the blocks it touches and is written to all 16 lists, each list's
 * length advancing by its bit (branch-free; each list needs one spare slot).
 * Blocks are 4 pixels wide except at the right and bottom image edges; a Gaussian whose rectangle starts
 * past the last pixel centre is in no list, which makes the test exact there too.
 */
const tileBlockListsFunction = wasmFunction("tileBlockLists", [i32T, i32T, i32T, i32T, i32T], [], ([cfg, start, stop, tx0, ty0], local) => {
  const { q, i, a, splats, list, sub, stride, c0, c1, r0, r1, mask } = named(local, i32T, ["q", "i", "a", "splats", "list", "sub", "stride", "c0", "c1", "r0", "r1", "mask"])
  const { mx, my, rx, ry, lastX, lastY } = named(local, f32T, ["mx", "my", "rx", "ry", "lastX", "lastY"])
  const blocks = Array.from({ length: blocksPerSide * blocksPerSide }, (_, b) => ({ b, base: local(i32T), count: local(i32T) }))
  const columns = i32.sub(i32.shl(i32c(2), get(c1)), i32.shl(i32c(1), get(c0)))
  const rows = i32.divU(i32.sub(i32.shl(i32c(1), i32.add(i32.mul(get(r1), i32c(4)), i32c(4))), i32.shl(i32c(1), i32.mul(get(r0), i32c(4)))), i32c(15))
  return seq(
    set(splats, cfgI32(cfg, C.splats)),
    set(list, cfgI32(cfg, C.tileList)),
    set(sub, cfgI32(cfg, C.sub)),
    set(stride, cfgI32(cfg, C.subStride)),
    set(lastX, f32.sub(f32.fromI32(cfgI32(cfg, C.width)), f32c(0.5))),
    set(lastY, f32.sub(f32.fromI32(cfgI32(cfg, C.height)), f32c(0.5))),
    ...blocks.map(({ b, base }) => set(base, i32.add(get(sub), i32.mul(i32c(b), get(stride))))),
    forUp(
      q,
      get(start),
      get(stop),
      1,
      set(i, i32.load(i32.add(get(list), i32.mul(get(q), i32c(4))))),
      set(a, splatAddress(splats, get(i))),
      set(mx, f32.load(get(a), S.mx)),
      set(my, f32.load(get(a), S.my)),
      set(rx, f32.load(get(a), S.radiusX)),
      set(ry, f32.load(get(a), S.radiusY)),
      brIf(0, i32.or(f32.gt(f32.sub(get(mx), get(rx)), get(lastX)), f32.gt(f32.sub(get(my), get(ry)), get(lastY)))),
      set(c0, i32.max(i32c(0), blockIndex(f32.sub(get(mx), get(rx)), f32.ceil, tx0, blockSize - 0.5))),
      set(c1, i32.min(i32c(blocksPerSide - 1), blockIndex(f32.add(get(mx), get(rx)), f32.floor, tx0, 0.5))),
      set(r0, i32.max(i32c(0), blockIndex(f32.sub(get(my), get(ry)), f32.ceil, ty0, blockSize - 0.5))),
      set(r1, i32.min(i32c(blocksPerSide - 1), blockIndex(f32.add(get(my), get(ry)), f32.floor, ty0, 0.5))),
      set(mask, i32.select(i32.mul(columns, rows), i32c(0), i32.and(i32.geS(get(c1), get(c0)), i32.geS(get(r1), get(r0))))),
      ...blocks.map(({ b, base, count }) =>
        seq(i32.store(i32.add(get(base), i32.mul(get(count), i32c(4))), get(i)), set(count, i32.add(get(count), i32.and(i32.shrU(get(mask), i32c(b)), i32c(1)))))
      )
    ),
    ...blocks.map(({ b, count }) => i32.store(i32.add(get(cfg), i32c(blockCounts + 4 * b)), get(count)))
  )
})

/** Code setting dx (v128) and dyS (f32) of the splat at `a` against pixel centres px (v128) and py (f32), and its power. */
export const powerInto = (c4: Constants, power: Local, dx: Local, dyS: Local, a: Local, px: Local, py: Local): Code =>
  seq(
    set(dx, v.sub(v.load32Splat(get(a), S.mx), get(px))),
    set(dyS, f32.sub(f32.load(get(a), S.my), get(py))),
    set(
      power,
      v.add(
        v.mul(c4(0.5), v.add(v.mul(v.load32Splat(get(a), S.conicA), v.mul(get(dx), get(dx))), v.splatF32(f32.mul(f32.load(get(a), S.conicC), f32.mul(get(dyS), get(dyS)))))),
        v.mul(v.splatF32(f32.mul(f32.load(get(a), S.conicB), get(dyS))), get(dx))
      )
    )
  )

/** Lanes where 0 <= power <= the splat's cutoff. */
export const inFootprint = (c4: Constants, power: Local, a: Local): Code => v.and(v.ge(get(power), c4(0)), v.le(get(power), v.load32Splat(get(a), S.cutoff)))

const f32Of = (x: number): number => Math.fround(x)

/** forwardRow(cfg, sub, m, bx, bx1, y) -> pairs: composite pixels [bx, bx1) of row y against the block list sub[0..m). */
const forwardRowFunction = wasmFunction("forwardRow", [i32T, i32T, i32T, i32T, i32T, i32T], [i32T], ([cfg, sub, m, bx, bx1, y], local) => {
  const [j, a, address, splats] = [local(i32T), local(i32T), local(i32T), local(i32T)]
  const [py, dyS] = [local(f32T), local(f32T)]
  const { px, T, r, g, b, depth, count, pairs, active, dx, power, valid, alpha, nextT, stop, w, x, k, n, e } = named(local, v128T, ["px", "T", "r", "g", "b", "depth", "count", "pairs", "active", "dx", "power", "valid", "alpha", "nextT", "stop", "w", "x", "k", "n", "e"])
  const { c4, init } = constantPool(local)
  const accumulate = (sum: Local, offset: number): Code => set(sum, v.add(get(sum), v.mul(v.load32Splat(get(a), offset), get(w))))
  const bg = (field: number): Code => v.load32Splat(get(cfg), field)
  const outputs: ReadonlyArray<Code> = [
    v.add(get(r), v.mul(get(T), bg(C.backgroundR))),
    v.add(get(g), v.mul(get(T), bg(C.backgroundG))),
    v.add(get(b), v.mul(get(T), bg(C.backgroundB))),
    v.sub(c4(1), get(T)),
    get(depth),
    get(T),
    v.fromI32(get(count))
  ]
  const storeLane = (lane: number): Code =>
    when(
      i32.ltS(i32.add(get(bx), i32c(lane)), get(bx1)),
      set(address, pixelAddress(cfg, i32.add(get(bx), i32c(lane)), get(y))),
      ...outputs.map((value, k) => f32.store(get(address), v.extractF32(value, lane), 4 * k))
    )
  const body = seq(
    set(splats, cfgI32(cfg, C.splats)),
    set(px, v.add(v.splatF32(f32.fromI32(get(bx))), v.constF32([0.5, 1.5, 2.5, 3.5]))),
    set(py, f32.add(f32.fromI32(get(y)), f32c(0.5))),
    set(active, v.lt(get(px), v.splatF32(f32.fromI32(get(bx1))))),
    set(T, c4(1)),
    forUp(
      j,
      i32c(0),
      get(m),
      1,
      set(a, splatAddress(splats, i32.load(i32.add(get(sub), i32.mul(get(j), i32c(4)))))),
      powerInto(c4, power, dx, dyS, a, px, py),
      set(valid, v.and(get(active), inFootprint(c4, power, a))),
      set(pairs, v.subI32(get(pairs), get(active))),
      brIf(0, i32.eqz(v.anyTrue(get(valid)))),
      expNegInto(c4, e, get(power), x, k, n),
      set(alpha, v.pmin(c4(f32Of(alphaMax)), v.mul(v.load32Splat(get(a), S.opacity), get(e)))),
      set(valid, v.and(get(valid), v.ge(get(alpha), c4(f32Of(alphaMin))))),
      set(nextT, v.mul(get(T), v.sub(c4(1), get(alpha)))),
      set(stop, v.and(get(valid), v.le(get(nextT), c4(f32Of(transmittanceMin))))),
      set(active, v.andNot(get(active), get(stop))),
      set(valid, v.andNot(get(valid), get(stop))),
      set(w, v.and(v.mul(get(alpha), get(T)), get(valid))),
      accumulate(r, S.colour),
      accumulate(g, S.colour + 4),
      accumulate(b, S.colour + 8),
      accumulate(depth, S.depth),
      set(T, v.select(get(nextT), get(T), get(valid))),
      set(count, v.select(v.splatI32(i32.add(get(j), i32c(1))), get(count), get(valid))),
      brIf(2, i32.eqz(v.anyTrue(get(active))))
    ),
    storeLane(0),
    storeLane(1),
    storeLane(2),
    storeLane(3),
    i32.add(i32.add(v.extractI32(get(pairs), 0), v.extractI32(get(pairs), 1)), i32.add(v.extractI32(get(pairs), 2), v.extractI32(get(pairs), 3)))
  )
  return seq(init(), body)
})

/** Visit the 4x4 blocks of tiles cfg.first <= t < cfg.end: `perBlock` sees the block list (address, length m) and bx, by, bx1, by1. */
export const forEachBlock = (cfg: Local, local: (type: typeof i32T) => Local, perBlock: (sub: Local, m: Local, bx: Local, by: Local, bx1: Local, by1: Local) => Code): Code => {
  const { t, tx0, ty0, tx1, ty1, bx, by, bx1, by1, m, sub, b } = named(local, i32T, ["t", "tx0", "ty0", "tx1", "ty1", "bx", "by", "bx1", "by1", "m", "sub", "b"])
  const offsets = (k: Code): Code => i32.load(i32.add(cfgI32(cfg, C.tileOffsets), i32.mul(k, i32c(4))))
  return forUp(
    t,
    cfgI32(cfg, C.first),
    cfgI32(cfg, C.end),
    1,
    set(tx0, i32.mul(i32.remS(get(t), cfgI32(cfg, C.tilesX)), i32c(tileSize))),
    set(ty0, i32.mul(i32.divS(get(t), cfgI32(cfg, C.tilesX)), i32c(tileSize))),
    set(tx1, i32.min(cfgI32(cfg, C.width), i32.add(get(tx0), i32c(tileSize)))),
    set(ty1, i32.min(cfgI32(cfg, C.height), i32.add(get(ty0), i32c(tileSize)))),
    call(F.tileBlockLists, get(cfg), offsets(get(t)), offsets(i32.add(get(t), i32c(1))), get(tx0), get(ty0)),
    forUp(
      by,
      get(ty0),
      get(ty1),
      blockSize,
      forUp(
        bx,
        get(tx0),
        get(tx1),
        blockSize,
        set(bx1, i32.min(get(tx1), i32.add(get(bx), i32c(blockSize)))),
        set(by1, i32.min(get(ty1), i32.add(get(by), i32c(blockSize)))),
        set(b, i32.add(i32.mul(i32.divS(i32.sub(get(by), get(ty0)), i32c(blockSize)), i32c(blocksPerSide)), i32.divS(i32.sub(get(bx), get(tx0)), i32c(blockSize)))),
        set(m, i32.load(i32.add(get(cfg), i32.add(i32c(blockCounts), i32.mul(get(b), i32c(4)))))),
        set(sub, i32.add(cfgI32(cfg, C.sub), i32.mul(get(b), cfgI32(cfg, C.subStride)))),
        perBlock(sub, m, bx, by, bx1, by1)
      )
    )
  )
}

/** forwardTiles(cfg) -> pairs: composite tiles cfg.first <= t < cfg.end. */
const forwardTilesFunction = wasmFunction("forwardTiles", [i32T], [i32T], ([cfg], local) => {
  const [pairs, y] = [local(i32T), local(i32T)]
  return seq(
    set(pairs, i32c(0)),
    forEachBlock(cfg, local, (sub, m, bx, by, bx1, by1) => forUp(y, get(by), get(by1), 1, set(pairs, i32.add(get(pairs), call(F.forwardRow, get(cfg), get(sub), get(m), get(bx), get(bx1), get(y)))))),
    get(pairs)
  )
})

export const forwardFunctions: ReadonlyArray<WasmFunction> = [tileBlockListsFunction, forwardRowFunction, forwardTilesFunction]
