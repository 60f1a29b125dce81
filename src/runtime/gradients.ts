/**
 * Reverse-mode gradients that free memory as they go. tfjs's own `variableGrads` keeps, until the
 * whole backward pass ends, every tensor that the forward saved for the gradient and the gradient
 * of every intermediate tensor: on the wasm backend that is most of a training step's memory.
 * `valueAndGrads` records the same tape (tfjs's engine records it), and walks it backwards itself:
 * a node's saved tensors are freed once its gradient ran, the gradient of a tensor once its
 * producer consumed it, and the saved tensors of nodes off the path from the variables to the value
 * right after the forward. Peak memory is then the forward's saved tensors plus the gradients in
 * flight, as in a framework that frees eagerly.
 * It may run inside another backward pass (recomputation of a checkpointed segment): the tape it
 * walks is its own.
 * Relies on tfjs 4.22's engine internals (state.activeTape, startTape/endTape, a tape node's
 * inputs, outputs, saved and gradient), pinned in package.json.
 */
import * as tf from "@tensorflow/tfjs"

/** A node of tfjs's tape: a kernel run while recording, with what its gradient keeps. */
export interface TapeNode {
  readonly id: number
  readonly kernelName: string
  readonly inputs: Readonly<Record<string, tf.Tensor>>
  readonly outputs: ReadonlyArray<tf.Tensor>
  readonly saved?: ReadonlyArray<tf.Tensor>
  readonly gradient?: (dys: ReadonlyArray<tf.Tensor | null>) => Readonly<Record<string, () => tf.Tensor>>
}

interface EngineInternals {
  readonly state: { activeTape: TapeNode[] | null; gradientDepth: number; nextTapeNodeId: number }
  startTape(): void
  endTape(): void
  tidy<T extends tf.TensorContainer>(name: string, f: () => T): T
}

const engine = (): EngineInternals => tf.engine() as unknown as EngineInternals

/** The id the next tape node will get: a mark, to tell which tape nodes a piece of the forward recorded. */
export const tapeMark = (): number => engine().state.nextTapeNodeId

/** A kernel's gradient threw during the walk: the tape node (its id, as tapeMark counts) and the error. */
export class BackwardFailed extends Error {
  constructor(
    readonly tapeNode: number,
    readonly kernel: string,
    override readonly cause: unknown
  ) {
    super(`gradient of ${kernel} failed: ${String(cause)}`)
  }
}

const disposeSaved = (node: TapeNode): void => {
  for (const t of node.saved ?? []) t.dispose()
}

/** Run `f` with the tape on; its tape, and its value (intermediates not saved for the gradient are freed). */
const record = <T extends tf.Tensor>(f: () => T): { value: T; tape: TapeNode[] } => {
  const e = engine()
  const outer = e.state.activeTape
  let tape: TapeNode[] = []
  e.startTape()
  e.state.activeTape = []
  let value: T
  try {
    value = e.tidy("forward", f)
  } catch (error) {
    for (const node of e.state.activeTape ?? []) disposeSaved(node)
    throw error
  } finally {
    e.endTape()
    tape = e.state.activeTape ?? []
    e.state.activeTape = outer
  }
  return { value, tape }
}

/** The nodes on a path from one of `xs` to `y`, in tape order (tfjs's getFilteredNodesXToY, written anew). */
const nodesBetween = (tape: ReadonlyArray<TapeNode>, xs: ReadonlyArray<tf.Tensor>, y: tf.Tensor): TapeNode[] => {
  const fromX = new Set(xs.map((x) => x.id))
  const reached = new Set<number>()
  for (const node of tape)
    if (Object.values(node.inputs).some((t) => fromX.has(t.id))) {
      reached.add(node.id)
      for (const o of node.outputs) fromX.add(o.id)
    }
  const toY = new Set([y.id])
  const leads = new Set<number>()
  for (let i = tape.length - 1; i >= 0; i--) {
    const node = tape[i] as TapeNode
    if (!node.outputs.some((o) => toY.has(o.id))) continue
    leads.add(node.id)
    for (const t of Object.values(node.inputs)) toY.add(t.id)
  }
  return tape.filter((n) => reached.has(n.id) && leads.has(n.id))
}

/** The gradients of one node's inputs that lie on the path, from the gradients of its outputs. */
const nodeInputGrads = (node: TapeNode, onPath: ReadonlySet<number>, dys: ReadonlyArray<tf.Tensor | null>): Array<[tf.Tensor, tf.Tensor]> => {
  if (!node.gradient) throw new Error(`gradients: no gradient function for ${node.kernelName}`)
  const inputs = Object.entries(node.inputs).filter(([, t]) => onPath.has(t.id))
  const dxs = tf.tidy(() => {
    const thunks = (node.gradient as NonNullable<TapeNode["gradient"]>)(dys)
    return inputs.map(([name]) => {
      const thunk = thunks[name]
      if (!thunk) throw new Error(`gradients: ${node.kernelName} gives no gradient for input "${name}"`)
      return thunk()
    })
  })
  return inputs.map(([, x], k) => {
    const dx = dxs[k] as tf.Tensor
    if (dx.dtype !== "float32" || dx.shape.join() !== x.shape.join()) throw new Error(`gradients: ${node.kernelName} gives a gradient of shape [${dx.shape}] (${dx.dtype}) for an input of shape [${x.shape}]`)
    return [x, dx]
  })
}

/** Ids of the tensors whose gradient the walk needs: the xs and every output of a node on the path. */
const pathTensors = (path: ReadonlyArray<TapeNode>, xs: ReadonlyArray<tf.Tensor>): Set<number> => {
  const ids = new Set(xs.map((x) => x.id))
  for (const n of path) for (const o of n.outputs) ids.add(o.id)
  return ids
}

/**
 * d(sum of seed * y)/d(xs), walking the tape backwards and freeing as it goes. `seed` defaults to ones
 * (the gradient of a scalar value). Returns one gradient per x (undefined where y does not depend on it).
 */
const walkBack = (path: ReadonlyArray<TapeNode>, xs: ReadonlyArray<tf.Tensor>, y: tf.Tensor, seed: tf.Tensor): Array<tf.Tensor | undefined> => {
  const onPath = pathTensors(path, xs)
  const wanted = new Set(xs.map((x) => x.id))
  const grads = new Map<number, tf.Tensor>([[y.id, seed]])
  for (let i = path.length - 1; i >= 0; i--) {
    const node = path[i] as TapeNode
    const dys = node.outputs.map((o) => grads.get(o.id) ?? null)
    let inputGrads: Array<[tf.Tensor, tf.Tensor]>
    try {
      inputGrads = nodeInputGrads(node, onPath, dys)
    } catch (error) {
      for (const dy of grads.values()) dy.dispose()
      throw error instanceof BackwardFailed ? error : new BackwardFailed(node.id, node.kernelName, error)
    }
    const handedOn = new Set(inputGrads.map(([, dx]) => dx))
    for (const o of node.outputs) {
      const dy = grads.get(o.id)
      if (dy === undefined || wanted.has(o.id)) continue
      grads.delete(o.id)
      if (!handedOn.has(dy)) dy.dispose()
    }
    disposeSaved(node)
    for (const [x, dx] of inputGrads) {
      const before = grads.get(x.id)
      if (before === undefined) grads.set(x.id, dx)
      else {
        grads.set(x.id, tf.add(before, dx))
        before.dispose()
        dx.dispose()
      }
    }
  }
  return xs.map((x) => grads.get(x.id))
}

/**
 * The value of `f` and its gradients with respect to `xs` (their vector-Jacobian product with
 * `seed` for a non-scalar value), freeing as the walk goes; undefined for an x the value does not
 * depend on. The caller owns the value and the gradients.
 */
export const valueAndGrads = <T extends tf.Tensor>(
  f: () => T,
  xs: ReadonlyArray<tf.Tensor>,
  seed?: tf.Tensor,
  /** Sees the tape after the forward pass, before anything is freed (memory reports). */
  onTape?: (tape: ReadonlyArray<TapeNode>) => void
): { value: T; grads: Array<tf.Tensor | undefined> } => {
  const { value, tape } = record(f)
  onTape?.(tape)
  const path = nodesBetween(tape, xs, value)
  const onPath = new Set(path.map((n) => n.id))
  for (const node of tape) if (!onPath.has(node.id)) disposeSaved(node)
  try {
    const grads = walkBack(path, xs, value, seed ? tf.clone(seed) : tf.onesLike(value))
    return { value, grads }
  } catch (error) {
    for (const node of path) disposeSaved(node)
    value.dispose()
    throw error
  }
}
