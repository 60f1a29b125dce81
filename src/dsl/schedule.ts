/**
 * Schedules: a number as a function of (epoch, iteration). Used for learning
 * rates and loss weights. Pure data, evaluated by `valueAt`.
 */

export interface Clock {
  /** Zero-based epoch. */
  readonly epoch: number
  /** Zero-based global iteration (training step). */
  readonly iteration: number
}

export type Schedule =
  | { readonly _tag: "Constant"; readonly value: number }
  /** base * gamma^(number of milestones <= epoch); milestones are EPOCHS (the original stepped them per iteration by mistake). */
  | { readonly _tag: "MultiStep"; readonly base: number; readonly milestones: ReadonlyArray<number>; readonly gamma: number }
  /** base * gamma^floor(epoch / everyEpochs), e.g. the offset regulariser 10 * 0.85^floor(epoch/20). */
  | { readonly _tag: "StepDecay"; readonly base: number; readonly gamma: number; readonly everyEpochs: number }
  /** base * min(1, (start + iteration) / iterations): a linear warm-up over the first iterations, `start` of them done before (by an earlier run). */
  | { readonly _tag: "WarmUp"; readonly base: number; readonly iterations: number; readonly start: number }
  /** `before` until `epoch`, then `value` (a loss switched on late, pose optimisation started late). */
  | { readonly _tag: "FromEpoch"; readonly epoch: number; readonly value: number; readonly before: number }
  /** The product of several schedules. */
  | { readonly _tag: "Product"; readonly factors: ReadonlyArray<Schedule> }

export const constant = (value: number): Schedule => ({ _tag: "Constant", value })
export const multiStep = (base: number, milestones: ReadonlyArray<number>, gamma: number): Schedule => ({ _tag: "MultiStep", base, milestones, gamma })
export const stepDecay = (base: number, gamma: number, everyEpochs: number): Schedule => ({ _tag: "StepDecay", base, gamma, everyEpochs })
export const warmUp = (base: number, iterations: number, start = 0): Schedule => ({ _tag: "WarmUp", base, iterations, start })
export const fromEpoch = (epoch: number, value: number, before = 0): Schedule => ({ _tag: "FromEpoch", epoch, value, before })
export const product = (...factors: ReadonlyArray<Schedule>): Schedule => ({ _tag: "Product", factors })

/** A weight or rate: a plain number is a constant schedule. */
export type Scalar = number | Schedule

export const valueAt = (s: Scalar, clock: Clock): number => {
  if (typeof s === "number") return s
  switch (s._tag) {
    case "Constant":
      return s.value
    case "MultiStep":
      return s.base * Math.pow(s.gamma, s.milestones.filter((m) => m <= clock.epoch).length)
    case "StepDecay":
      return s.base * Math.pow(s.gamma, Math.floor(clock.epoch / s.everyEpochs))
    case "WarmUp":
      return s.base * Math.min(1, (s.start + clock.iteration) / s.iterations)
    case "FromEpoch":
      return clock.epoch >= s.epoch ? s.value : s.before
    case "Product":
      return s.factors.reduce((acc, f) => acc * valueAt(f, clock), 1)
  }
}

export const describeScalar = (s: Scalar): string => {
  if (typeof s === "number") return String(s)
  switch (s._tag) {
    case "Constant":
      return String(s.value)
    case "MultiStep":
      return `${s.base}·${s.gamma}^#{${s.milestones.join(",")}≤epoch}`
    case "StepDecay":
      return `${s.base}·${s.gamma}^⌊epoch/${s.everyEpochs}⌋`
    case "WarmUp":
      return s.start === 0 ? `${s.base}·min(1,it/${s.iterations})` : `${s.base}·min(1,(${s.start}+it)/${s.iterations})`
    case "FromEpoch":
      return `epoch≥${s.epoch} ? ${s.value} : ${s.before}`
    case "Product":
      return s.factors.map(describeScalar).join(" × ")
  }
}
