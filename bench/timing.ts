/**
 * Timing for benches on a machine that others share: wall-clock milliseconds, and the process's CPU
 * milliseconds (user + system, all its threads), which other processes disturb far less.
 */
export interface Timing {
  readonly wallMs: number
  readonly cpuMs: number
}

const median = (xs: ReadonlyArray<number>): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number

/** Runs `f` warmUp + repeats times (its argument: the run's index); medians over the last `repeats` runs. */
export const timeRuns = async (f: (run: number) => Promise<void>, warmUp: number, repeats: number): Promise<Timing> => {
  const wall: number[] = []
  const cpu: number[] = []
  for (let run = 0; run < warmUp + repeats; run++) {
    const cpu0 = process.cpuUsage()
    const t0 = performance.now()
    await f(run)
    const elapsed = performance.now() - t0
    const used = process.cpuUsage(cpu0)
    if (run >= warmUp) {
      wall.push(elapsed)
      cpu.push((used.user + used.system) / 1000)
    }
  }
  return { wallMs: median(wall), cpuMs: median(cpu) }
}
