/**
 * Worker side of runner.ts: instantiates denseBlock's kernels on the shared memory it was given,
 * then waits on the control words for jobs (a kernel index and its arguments), runs each and
 * publishes its sequence number as done (with the failed flag set if the kernel threw).
 */
import { workerData, parentPort } from "node:worker_threads"
import type { DenseKernels } from "./runner.ts"
import { control, kernelNames } from "./runner.ts"

const { module, memory, control: words } = workerData as { module: WebAssembly.Module; memory: WebAssembly.Memory; control: Int32Array }
const kernels = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as DenseKernels

const runJob = (): void => {
  const name = kernelNames[words[control.kernel] as number]
  const args = Array.from(words.subarray(control.args, control.args + (words[control.argc] as number)))
  try {
    if (name === undefined) throw new Error("unknown kernel")
    kernels[name](...args)
    words[control.failed] = 0
  } catch {
    words[control.failed] = 1
  }
}

const serve = (): void => {
  // Jobs start at sequence 1, and only after "ready": 0 is the sequence before any job.
  for (let seen = 0; ; ) {
    Atomics.wait(words, control.seq, seen)
    seen = Atomics.load(words, control.seq)
    runJob()
    Atomics.store(words, control.done, seen)
    Atomics.notify(words, control.done)
  }
}

parentPort?.postMessage("ready")
serve()
