/** The rasteriser's WebAssembly module, emitted from forwardKernel.ts and backwardKernel.ts (function order = F). */
import { backwardFunctions } from "./backwardKernel.ts"
import { wasmModule } from "../../wasm/emit.ts"
import { forwardFunctions } from "./forwardKernel.ts"

/** Largest memory the module accepts: 1 GiB (16384 pages of 64 KiB). */
export const maxPages = 16384

export const rasterWasmBytes = (): Uint8Array => wasmModule([...forwardFunctions, ...backwardFunctions], { min: 1, max: maxPages })
