/**
 * Issue 12's targets for bench train, printed beside each figure: the whole step at the quick sizes
 * (512x512, batch 1: stage 1 / stage 2 at query map 128 <= 400 / 550 ms, at 256 <= 1,000 / 1,200 ms),
 * the network part at most 1.5x PyTorch's two-thread step of the same network (every size), and
 * L1 + SSIM forward and backward at 512x512 <= 40 ms (the bench's losses part also holds the
 * regularisers and the PSNR metric, so it is an upper bound of L1 + SSIM).
 */
import type { AvatarSizes } from "../src/graphs/avatar/config.ts"
import { quickSizes } from "../src/graphs/avatar/config.ts"
import type { PeerStep } from "./torchPeer.ts"

const stepTargets: Readonly<Record<number, readonly [number, number]>> = { 128: [400, 550], 256: [1000, 1200] }
const maxTorchRatio = 1.5
const lossesTargetMs = 40

export interface TargetFigures {
  readonly stage: 1 | 2
  readonly stepMs: number
  readonly networkMs: number
  readonly lossesMs: number
  readonly torch: ReadonlyArray<PeerStep> | string
  /** The same in this process's CPU milliseconds: on a loaded machine wall-clock figures (ours and PyTorch's) mostly measure the other processes. */
  readonly cpuMs: { readonly step: number; readonly network: number; readonly losses: number }
}

const verdict = (met: boolean): string => (met ? "met" : "not met")
const isQuick = (s: AvatarSizes): boolean => s.featureSize === quickSizes.featureSize && s.channels === quickSizes.channels && s.hidden === quickSizes.hidden

const stepLine = (r: TargetFigures, sizes: AvatarSizes): string => {
  const target = isQuick(sizes) ? stepTargets[sizes.querySize]?.[r.stage - 1] : undefined
  const figure = `step ${r.stepMs.toFixed(0)} ms wall, ${r.cpuMs.step.toFixed(0)} ms CPU`
  return target === undefined ? `${figure} (no target at these sizes)` : `${figure} (target <= ${target} wall: ${verdict(r.stepMs <= target)})`
}

const torchLine = (r: TargetFigures): string => {
  const steps = r.torch
  if (typeof steps === "string") return `PyTorch: skipped (${steps})`
  const ms = (threads: number) => steps.find((p) => p.threads === threads)?.medianMs
  const one = ms(1)
  const two = ms(2)
  if (two === undefined) return "PyTorch: no two-thread figure"
  const ratio = r.networkMs / two
  const perOneThread = one === undefined ? "" : `, ${(r.networkMs / one).toFixed(2)}x the one-thread step`
  // PyTorch's two threads spin: slower than its one means other processes hold the cores, and the ratio says nothing.
  const loaded = one !== undefined && two > one
  const judged = loaded ? "not judged: PyTorch's two threads are slower than its one, the machine is loaded" : verdict(ratio <= maxTorchRatio)
  return `network ${r.networkMs.toFixed(0)} ms wall (${r.cpuMs.network.toFixed(0)} ms CPU) vs PyTorch ${one?.toFixed(0) ?? "-"} ms (1 thread) / ${two.toFixed(0)} ms (2 threads), wall: ${ratio.toFixed(2)}x the two-thread step (target <= ${maxTorchRatio}x: ${judged})${perOneThread}`
}

export const describeTargets = (r: TargetFigures, sizes: AvatarSizes): ReadonlyArray<string> => [
  stepLine(r, sizes),
  torchLine(r),
  `losses (L1, SSIM, regularisers, PSNR) ${r.lossesMs.toFixed(0)} ms wall, ${r.cpuMs.losses.toFixed(0)} ms CPU (L1 + SSIM target <= ${lossesTargetMs} wall: ${verdict(r.lossesMs <= lossesTargetMs)})`
]
