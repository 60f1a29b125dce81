/** Latin-1 (ISO 8859-1: byte = code point) text from bytes and back, without Node's Buffer (the web viewer parses motion files too). */
const CHUNK = 8192

export const latin1Decode = (bytes: Uint8Array): string => {
  let text = ""
  for (let at = 0; at < bytes.length; at += CHUNK) text += String.fromCharCode(...bytes.subarray(at, at + CHUNK))
  return text
}

export const latin1Encode = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff)
