/**
 * WebAssembly SIMD backward of forwardKernel.ts (the math of
 * compositeBackward.ts, hard cut-offs only). Each row of 4 pixels of a 4x4
 * block replays its block list back to front from the row's longest count;
 * per lane, T_k = T_{k+1} / (1 - alpha_k) is recovered from the final
 * transmittance, B = colour behind (with background), and
 * dL/dalpha_k = T_k (c_k . dC) - B / (1 - alpha_k) + dD (T_k z_k - Z / (1 - alpha_k)) + dA T_N / (1 - alpha_k),
 * zero where alpha is capped at 0.99. The splat gradients (G order of
 * gaussians.ts) are added per lane into the Gaussian's f32x4 accumulators
 * (cfg.grads + i * gradBytes); reduceGrads sums the lanes. All float32.
 */
import type { Code } from "../../wasm/emit.ts"
import { named, brIf, call, f32, f32c, f32T, forDown, forUp, get, i32, i32c, i32T, seq, set, v, v128T, wasmFunction, when } from "../../wasm/emit.ts"
import type { WasmFunction } from "../../wasm/emit.ts"
import { cfgI32, F, forEachBlock, inFootprint, pixelAddress, powerInto, splatAddress } from "./forwardKernel.ts"
import { C, gradBytes, S } from "./layout.ts"
import { constantPool, expNegInto } from "../../wasm/simdMath.ts"
import { alphaMax, alphaMin } from "../constants.ts"

/** backwardRow(cfg, sub, bx, bx1, y): replay the block list at sub up to each pixel's count, add the gradients of pixels [bx, bx1) of row y into the accumulators. */
const backwardRowFunction = wasmFunction("backwardRow", [i32T, i32T, i32T, i32T, i32T], [], ([cfg, sub, bx, bx1, y], local) => {
  const { j, i, a, ga, p, address, count1, longest, splats, gradBase } = named(local, i32T, ["j", "i", "a", "ga", "p", "address", "count1", "longest", "splats", "gradBase"])
  const [py, dyS] = [local(f32T), local(f32T)]
  const { px, count, finalT, dR, dG, dB, dA, dD, T, behind, behindDepth, dAT, dx, power, valid, e, x, k, n, raw, alpha, inverse, Tk, weight, colourDot, z, dAlpha, dRaw, dPower } = named(local, v128T, ["px", "count", "finalT", "dR", "dG", "dB", "dA", "dD", "T", "behind", "behindDepth", "dAT", "dx", "power", "valid", "e", "x", "k", "n", "raw", "alpha", "inverse", "Tk", "weight", "colourDot", "z", "dAlpha", "dRaw", "dPower"])
  const loadLane = (lane: number): Code =>
    when(
      i32.ltS(i32.add(get(bx), i32c(lane)), get(bx1)),
      set(p, i32.add(i32.mul(get(y), cfgI32(cfg, C.width)), i32.add(get(bx), i32c(lane)))),
      set(address, pixelAddress(cfg, i32.add(get(bx), i32c(lane)), get(y))),
      set(count1, i32.truncF32(f32.load(get(address), 24))),
      set(count, v.replaceI32(get(count), lane, get(count1))),
      set(longest, i32.max(get(longest), get(count1))),
      set(finalT, v.replaceF32(get(finalT), lane, f32.load(get(address), 20))),
      set(address, i32.add(cfgI32(cfg, C.dImage), i32.mul(get(p), i32c(12)))),
      set(dR, v.replaceF32(get(dR), lane, f32.load(get(address), 0))),
      set(dG, v.replaceF32(get(dG), lane, f32.load(get(address), 4))),
      set(dB, v.replaceF32(get(dB), lane, f32.load(get(address), 8))),
      set(dA, v.replaceF32(get(dA), lane, f32.load(i32.add(cfgI32(cfg, C.dAlpha), i32.mul(get(p), i32c(4)))))),
      set(dD, v.replaceF32(get(dD), lane, f32.load(i32.add(cfgI32(cfg, C.dDepth), i32.mul(get(p), i32c(4))))))
    )
  const { c4, init } = constantPool(local)
  const bg = (field: number): Code => v.load32Splat(get(cfg), field)
  const colour = (k: number): Code => v.load32Splat(get(a), S.colour + 4 * k)
  const dyV = (): Code => v.splatF32(get(dyS))
  const add = (k: number, value: Code): Code => v.store(get(ga), v.add(v.load(get(ga), 16 * k), value), 16 * k)
  const body = seq(
    set(splats, cfgI32(cfg, C.splats)),
    set(gradBase, cfgI32(cfg, C.grads)),
    set(px, v.add(v.splatF32(f32.fromI32(get(bx))), v.constF32([0.5, 1.5, 2.5, 3.5]))),
    set(py, f32.add(f32.fromI32(get(y)), f32c(0.5))),
    loadLane(0),
    loadLane(1),
    loadLane(2),
    loadLane(3),
    set(T, get(finalT)),
    set(behind, v.mul(get(finalT), v.add(v.add(v.mul(bg(C.backgroundR), get(dR)), v.mul(bg(C.backgroundG), get(dG))), v.mul(bg(C.backgroundB), get(dB))))),
    set(dAT, v.mul(get(dA), get(finalT))),
    forDown(
      j,
      get(longest),
      set(i, i32.load(i32.add(get(sub), i32.mul(get(j), i32c(4))))),
      set(a, splatAddress(splats, get(i))),
      set(ga, i32.add(get(gradBase), i32.mul(get(i), i32c(gradBytes)))),
      powerInto(c4, power, dx, dyS, a, px, py),
      set(valid, v.and(v.gtI32(get(count), v.splatI32(get(j))), inFootprint(c4, power, a))),
      brIf(0, i32.eqz(v.anyTrue(get(valid)))),
      expNegInto(c4, e, get(power), x, k, n),
      set(raw, v.mul(v.load32Splat(get(a), S.opacity), get(e))),
      set(alpha, v.pmin(c4(Math.fround(alphaMax)), get(raw))),
      set(valid, v.and(get(valid), v.ge(get(alpha), c4(Math.fround(alphaMin))))),
      set(inverse, v.div(c4(1), v.sub(c4(1), get(alpha)))),
      set(Tk, v.mul(get(T), get(inverse))),
      set(weight, v.and(v.mul(get(alpha), get(Tk)), get(valid))),
      set(colourDot, v.add(v.add(v.mul(colour(0), get(dR)), v.mul(colour(1), get(dG))), v.mul(colour(2), get(dB)))),
      set(z, v.load32Splat(get(a), S.depth)),
      set(
        dAlpha,
        v.sub(
          v.add(v.mul(get(Tk), get(colourDot)), v.mul(get(dD), v.mul(get(Tk), get(z)))),
          v.mul(v.sub(v.add(get(behind), v.mul(get(dD), get(behindDepth))), get(dAT)), get(inverse))
        )
      ),
      set(T, v.select(get(Tk), get(T), get(valid))),
      set(behind, v.add(get(behind), v.mul(get(colourDot), get(weight)))),
      set(behindDepth, v.add(get(behindDepth), v.mul(get(z), get(weight)))),
      set(dRaw, v.and(get(dAlpha), v.and(get(valid), v.lt(get(raw), c4(Math.fround(alphaMax)))))),
      set(dPower, v.neg(v.mul(get(dRaw), get(raw)))),
      add(0, v.mul(get(dPower), v.add(v.mul(v.load32Splat(get(a), S.conicA), get(dx)), v.splatF32(f32.mul(f32.load(get(a), S.conicB), get(dyS)))))),
      add(1, v.mul(get(dPower), v.add(v.splatF32(f32.mul(f32.load(get(a), S.conicC), get(dyS))), v.mul(v.load32Splat(get(a), S.conicB), get(dx))))),
      add(2, v.mul(v.mul(get(dPower), c4(0.5)), v.mul(get(dx), get(dx)))),
      add(3, v.mul(v.mul(get(dPower), get(dx)), dyV())),
      add(4, v.mul(get(dPower), v.splatF32(f32.mul(f32.mul(get(dyS), get(dyS)), f32c(0.5))))),
      add(5, v.mul(get(weight), get(dD))),
      add(6, v.mul(get(dRaw), get(e))),
      add(7, v.mul(get(weight), get(dR))),
      add(8, v.mul(get(weight), get(dG))),
      add(9, v.mul(get(weight), get(dB)))
    )
  )
  return seq(init(), body)
})

/** backwardTiles(cfg): replay tiles cfg.first <= t < cfg.end into cfg.grads. */
const backwardTilesFunction = wasmFunction("backwardTiles", [i32T], [], ([cfg], local) => {
  const y = local(i32T)
  return forEachBlock(cfg, local, (sub, _m, bx, by, bx1, by1) => forUp(y, get(by), get(by1), 1, call(F.backwardRow, get(cfg), get(sub), get(bx), get(bx1), get(y))))
})

/** reduceGrads(cfg, n): cfg.reduced[k] = sum of the four lanes of accumulator k, for k < 10 n. */
const reduceGradsFunction = wasmFunction("reduceGrads", [i32T, i32T], [], ([cfg, n], local) => {
  const [k, from] = [local(i32T), local(i32T)]
  const lane = (l: number): Code => v.extractF32(v.load(get(from)), l)
  return forUp(
    k,
    i32c(0),
    i32.mul(get(n), i32c(10)),
    1,
    set(from, i32.add(cfgI32(cfg, C.grads), i32.mul(get(k), i32c(16)))),
    f32.store(i32.add(cfgI32(cfg, C.reduced), i32.mul(get(k), i32c(4))), f32.add(f32.add(lane(0), lane(1)), f32.add(lane(2), lane(3))))
  )
})

export const backwardFunctions: ReadonlyArray<WasmFunction> = [backwardRowFunction, backwardTilesFunction, reduceGradsFunction]
