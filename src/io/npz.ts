/**
 * .npz archives: a zip of .npy files, one per key (numpy.savez / savez_compressed).
 * Entries are parsed on access, so an archive holding an object array (e.g. a
 * dict saved by numpy) still yields its other arrays; reading that one key
 * fails with IoError naming the file and key.
 */
import { Effect } from "effect"
import { unzipSync, zipSync, type Zippable } from "fflate"
import { attempt, fail, IoError, readBytes, writeBytes } from "./errors.ts"
import type { NdArray } from "./ndarray.ts"
import { encodeNpy, parseNpy } from "./npy.ts"

export interface Npz {
  readonly file: string
  /** Keys in archive order, without the ".npy" suffix. */
  readonly keys: ReadonlyArray<string>
  readonly has: (key: string) => boolean
  readonly get: (key: string) => Effect.Effect<NdArray, IoError>
}

/** Opens a zip archive's entries (names as stored). */
export const unzip = (bytes: Uint8Array, file: string): Effect.Effect<Record<string, Uint8Array>, IoError> =>
  attempt(file, undefined, () => {
    if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) fail(file, "not a zip archive")
    return unzipSync(bytes)
  })

export const parseNpz = (bytes: Uint8Array, file: string): Effect.Effect<Npz, IoError> =>
  Effect.map(unzip(bytes, file), (entries) => {
    const byKey = new Map(Object.entries(entries).map(([name, data]) => [name.replace(/\.npy$/, ""), data]))
    return {
      file,
      keys: [...byKey.keys()],
      has: (key) => byKey.has(key),
      get: (key) => {
        const data = byKey.get(key)
        return data === undefined
          ? Effect.fail(new IoError({ file, key, reason: `no array "${key}" (keys: ${[...byKey.keys()].join(", ") || "none"})` }))
          : parseNpy(data, file, key)
      }
    }
  })

export const readNpz = (file: string): Effect.Effect<Npz, IoError> =>
  Effect.flatMap(readBytes(file), (bytes) => parseNpz(bytes, file))

/** Reads every key of an archive (fails on the first entry that cannot be parsed). */
export const readAll = (npz: Npz): Effect.Effect<Record<string, NdArray>, IoError> =>
  Effect.map(Effect.forEach(npz.keys, (key) => Effect.map(npz.get(key), (a) => [key, a] as const)), Object.fromEntries)

/** Entries carry a fixed time (the zip epoch, 1980-01-01) so that the same arrays always give the same bytes. */
const zipEpoch = new Date(1980, 0, 1)

export const encodeNpz = (arrays: { readonly [key: string]: NdArray }, options: { readonly compress?: boolean } = {}): Uint8Array => {
  const entries: Zippable = {}
  for (const [key, array] of Object.entries(arrays)) entries[`${key}.npy`] = encodeNpy(array)
  return zipSync(entries, { level: options.compress ? 6 : 0, mtime: zipEpoch })
}

export const writeNpz = (file: string, arrays: { readonly [key: string]: NdArray }, options: { readonly compress?: boolean } = {}): Effect.Effect<void, IoError> =>
  writeBytes(file, encodeNpz(arrays, options))
