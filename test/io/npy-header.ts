/** Test helper: a .npy file (version 1.0) with a hand-written header dict, as numpy lays it out. */
export const npyWithHeader = (dict: string, body: Uint8Array): Uint8Array => {
  const header = dict + " ".repeat((64 - ((11 + dict.length) % 64)) % 64) + "\n"
  const out = new Uint8Array(10 + header.length + body.length)
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8])
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i)
  out.set(body, 10 + header.length)
  return out
}
