/**
 * CRC-32 (the zip / PNG / gzip checksum: polynomial 0xEDB88320, reflected, initial and final
 * XOR 0xFFFFFFFF), one table lookup per byte. `crc32(bytes)` of "123456789" is 0xCBF43926.
 */

const table = (() => {
  const t = new Int32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    t[n] = c
  }
  return t
})()

/** The CRC-32 of `bytes`, continuing from `previous` (the CRC of the bytes before them) when given. */
export const crc32 = (bytes: Uint8Array, previous = 0): number => {
  let c = ~previous
  for (let i = 0; i < bytes.length; i++) c = (table[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8)
  return ~c >>> 0
}

/** The CRC-32 of a typed array's bytes. */
export const crc32Of = (data: ArrayBufferView): number => crc32(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
