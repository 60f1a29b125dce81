/**
 * .npz archives: a zip of .npy files, one per key (numpy.savez / savez_compressed).
 * Opening reads only the zip directory; an entry is read when its key is asked for: first its
 * .npy header, then its elements, inflated with a limit derived from the header's shape (an
 * entry that inflates past it, or whose size disagrees, fails). So an archive holding an object
 * array (e.g. a dict saved by numpy) or a huge entry still yields its other arrays; reading that
 * one key fails with IoError naming the file and key.
 */
import { Effect } from "effect"
import { zipSync, type Zippable } from "fflate"
import { writeBytes } from "./atomic.ts"
import { attempt, IoError, readBytes } from "./errors.ts"
import type { NdArray } from "./ndarray.ts"
import { DEFAULT_MAX_ELEMENTS, encodeNpy, parseNpy, parseNpyLayout } from "./npy.ts"
import { openZip, type ZipArchive, type ZipEntry } from "./zip.ts"

export interface Npz {
  readonly file: string
  /** Keys in archive order, without the ".npy" suffix. */
  readonly keys: ReadonlyArray<string>
  readonly has: (key: string) => boolean
  readonly get: (key: string) => Effect.Effect<NdArray, IoError>
}

export interface NpzOptions {
  /** The most elements one array may have (checked on its header, before its data is inflated). Default 2^26. */
  readonly maxElements?: number
}

/** An .npy header fits in this many bytes (numpy writes a few hundred; it refuses more than 10,000 by default). */
const HEADER_BYTES = 1 << 16

/** One entry: its header from a prefix, then exactly the bytes that header says it needs. */
const readArray = (zip: ZipArchive, entry: ZipEntry, key: string, maxElements: number): Effect.Effect<NdArray, IoError> =>
  Effect.flatMap(
    attempt(zip.file, key, () => {
      const layout = parseNpyLayout(zip.prefix(entry, HEADER_BYTES), zip.file, key, maxElements)
      return zip.read(entry, layout.dataStart + layout.dataBytes)
    }),
    (bytes) => parseNpy(bytes, zip.file, key, maxElements)
  ).pipe(Effect.mapError((e) => (e.key === undefined ? new IoError({ file: e.file, key, reason: e.reason }) : e)))

export const parseNpz = (bytes: Uint8Array, file: string, options: NpzOptions = {}): Effect.Effect<Npz, IoError> =>
  Effect.map(
    attempt(file, undefined, () => openZip(bytes, file)),
    (zip) => {
      const byKey = new Map(zip.entries.map((entry) => [entry.name.replace(/\.npy$/, ""), entry]))
      const maxElements = options.maxElements ?? DEFAULT_MAX_ELEMENTS
      return {
        file,
        keys: [...byKey.keys()],
        has: (key) => byKey.has(key),
        get: (key) => {
          const entry = byKey.get(key)
          return entry === undefined
            ? Effect.fail(new IoError({ file, key, reason: `no array "${key}" (keys: ${[...byKey.keys()].join(", ") || "none"})` }))
            : readArray(zip, entry, key, maxElements)
        }
      }
    }
  )

export const readNpz = (file: string, options: NpzOptions = {}): Effect.Effect<Npz, IoError> =>
  Effect.flatMap(readBytes(file), (bytes) => parseNpz(bytes, file, options))

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
