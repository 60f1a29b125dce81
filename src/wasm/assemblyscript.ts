/**
 * AssemblyScript sources compiled to WebAssembly at first use, synchronously (the `asc` compiler of
 * the npm package `assemblyscript`, run as a child process; a few seconds), and cached by the hash
 * of the source, the compiler's version and its flags under node_modules/.cache/gavatar (compiled
 * again when the cache cannot be written). Nothing is downloaded. Kernels that use it say why they
 * chose it over this folder's opcode emitter (emit.ts).
 */
import { execFileSync } from "node:child_process"
import { createHash } from "node:crypto"
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

/** Flags for kernels on a shared, imported memory of up to `maxPages` pages (64 KiB each), with SIMD, no runtime. */
export const sharedMemoryFlags = (maxPages: number): ReadonlyArray<string> => [
  "-O3",
  "--noAssert",
  "--runtime",
  "stub",
  "--importMemory",
  "--sharedMemory",
  "--initialMemory",
  "1",
  "--maximumMemory",
  String(maxPages),
  "--enable",
  "simd",
  "--enable",
  "threads",
  "--use",
  "abort="
]

const compilerPaths = () => {
  const require = createRequire(import.meta.url)
  const packageJson = require.resolve("assemblyscript/package.json")
  const root = dirname(packageJson)
  const version = (JSON.parse(readFileSync(packageJson, "utf8")) as { version: string }).version
  return { asc: join(root, "bin", "asc.js"), version, cache: join(root, "..", ".cache", "gavatar", "wasm") }
}

const compileTo = (asc: string, source: string, flags: ReadonlyArray<string>, out: string): void => {
  execFileSync(process.execPath, [asc, source, ...flags, "-o", out], { stdio: ["ignore", "ignore", "pipe"] })
}

/** The compiled module's bytes for the AssemblyScript file at `source` (a file URL). */
export const compileAssemblyScript = (source: URL, flags: ReadonlyArray<string>): Uint8Array => {
  const path = fileURLToPath(source)
  const { asc, version, cache } = compilerPaths()
  const hash = createHash("sha256").update(readFileSync(path)).update(version).update(flags.join(" ")).digest("hex").slice(0, 16)
  const cached = join(cache, `${hash}.wasm`)
  if (existsSync(cached)) return readFileSync(cached)
  const writable = (() => {
    try {
      mkdirSync(cache, { recursive: true })
      return true
    } catch {
      return false
    }
  })()
  // Compiled beside the cache and renamed into place, so a reader never sees a partial file.
  const scratch = join(writable ? cache : tmpdir(), `${hash}.${process.pid}.partial.wasm`)
  compileTo(asc, path, flags, scratch)
  const bytes = readFileSync(scratch)
  if (writable) renameSync(scratch, cached)
  else rmSync(scratch, { force: true })
  return bytes
}
