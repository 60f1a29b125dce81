/**
 * Where `gavatar prepare` spends its time: each stage's wall time and the process's CPU time over it
 * (user + system, every thread of this process; not child processes: ffmpeg's decoding is not in
 * it, a second or two for 100 frames at 512 x 512). On a shared machine wall time grows with other
 * people's load while CPU time does not, so both are reported.
 */
import { Effect } from "effect"

export interface StageTime {
  readonly stage: string
  readonly seconds: number
  readonly cpuSeconds: number
}

const cpuNow = (): number => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1e6
}

/** Runs `effect`, appending its stage time to `times`. */
export const timed =
  (times: StageTime[], stage: string) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.suspend(() => {
      const wall = performance.now(), cpu = cpuNow()
      return Effect.tap(effect, () => Effect.sync(() => times.push({ stage, seconds: (performance.now() - wall) / 1000, cpuSeconds: cpuNow() - cpu })))
    })

/** The sum of the stages' times. */
export const totalOf = (times: ReadonlyArray<StageTime>): StageTime => ({
  stage: "total",
  seconds: times.reduce((s, t) => s + t.seconds, 0),
  cpuSeconds: times.reduce((s, t) => s + t.cpuSeconds, 0)
})
