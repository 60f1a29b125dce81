/** The page's data: site.json (what the server or the static folder holds), the avatar, motions, and anim files streamed frame by frame. */
import { animInfo, decodeAnimFrame } from "../anim.ts"
import type { AnimInfo } from "../anim.ts"
import { decodeContainer } from "../container.ts"

export interface SiteIndex {
  readonly avatar: string
  readonly motions: ReadonlyArray<{ readonly name: string; readonly url: string }>
  readonly anims: ReadonlyArray<{ readonly name: string; readonly url: string }>
}

export interface AvatarData {
  readonly count: number
  readonly stage: number
  readonly note: string
  readonly parents: ReadonlyArray<number>
  readonly camera: { readonly intrinsic: ReadonlyArray<number>; readonly width: number; readonly height: number; readonly extrinsic: ReadonlyArray<number> }
  readonly anchor: { readonly pose: ReadonlyArray<number>; readonly transl: ReadonlyArray<number> }
  readonly arrays: Readonly<Record<string, Float32Array | Uint8Array>>
}

export interface MotionData {
  readonly name: string
  readonly frames: number
  readonly fps: number
  readonly poses: Float32Array
  readonly transl: Float32Array
}

/** Bytes fetched, for the bench's "bytes" figure. */
export const transferred = { bytes: 0 }

const fetchBytes = async (url: string): Promise<Uint8Array> => {
  const response = await fetch(url)
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`)
  const bytes = new Uint8Array(await response.arrayBuffer())
  transferred.bytes += bytes.length
  return bytes
}

export const loadIndex = async (): Promise<SiteIndex> => JSON.parse(new TextDecoder().decode(await fetchBytes("site.json"))) as SiteIndex

export const loadAvatar = async (url: string): Promise<AvatarData> => {
  const { header, arrays } = decodeContainer(await fetchBytes(url))
  return { ...(header as unknown as Omit<AvatarData, "arrays">), arrays: arrays as Record<string, Float32Array | Uint8Array> }
}

export const loadMotion = async (url: string): Promise<MotionData> => {
  const { header, arrays } = decodeContainer(await fetchBytes(url))
  return { name: header["name"] as string, frames: header["frames"] as number, fps: header["fps"] as number, poses: arrays["poses"] as Float32Array, transl: arrays["transl"] as Float32Array }
}

/** An anim file arriving: frames become available as their bytes come in. */
export interface AnimStream {
  readonly info: () => AnimInfo | undefined
  readonly available: () => number
  readonly frame: (k: number) => ReturnType<typeof decodeAnimFrame>
  readonly done: Promise<void>
}

export const streamAnim = (url: string): AnimStream => {
  let buffer = new Uint8Array(1 << 16)
  let filled = 0
  let found: ReturnType<typeof animInfo>
  const append = (chunk: Uint8Array) => {
    if (filled + chunk.length > buffer.length) {
      const grown = new Uint8Array(Math.max(buffer.length * 2, filled + chunk.length))
      grown.set(buffer.subarray(0, filled))
      buffer = grown
    }
    buffer.set(chunk, filled)
    filled += chunk.length
    transferred.bytes += chunk.length
    found ??= animInfo(buffer.subarray(0, filled))
  }
  const done = (async () => {
    const response = await fetch(url)
    if (!response.ok || !response.body) throw new Error(`${url}: HTTP ${response.status}`)
    const reader = response.body.getReader()
    for (;;) {
      const { done: finished, value } = await reader.read()
      if (finished) break
      append(value)
    }
  })()
  return {
    info: () => found?.info,
    available: () => (found ? Math.min(found.info.frames, Math.floor((filled - found.dataStart) / found.info.frameBytes)) : 0),
    frame: (k) => decodeAnimFrame((found as NonNullable<typeof found>).info, buffer, (found as NonNullable<typeof found>).dataStart, k),
    done
  }
}
