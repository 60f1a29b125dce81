/**
 * The viewer as files: index.html, viewer.js, site.json and the data files (data/...), served by
 * `gavatar view` from memory (anim files streamed from disk) or written to a folder by
 * `gavatar export --format web` for any static host.
 */
import { Effect } from "effect"
import { createReadStream, readFileSync, statSync } from "node:fs"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { join } from "node:path"
import { writeFileAtomic } from "../io/atomic.ts"
import { IoError } from "../io/errors.ts"
import { viewerScript } from "./bundle.ts"
import { PAGE } from "./page.ts"

export type SiteFile = { readonly _tag: "Bytes"; readonly bytes: Uint8Array } | { readonly _tag: "Disk"; readonly file: string }

export type Site = ReadonlyMap<string, SiteFile>

export interface SiteData {
  readonly avatar: Uint8Array
  readonly motions: ReadonlyArray<{ readonly name: string; readonly bytes: Uint8Array }>
  readonly anims: ReadonlyArray<{ readonly name: string; readonly file: string }>
}

const bytes = (b: Uint8Array): SiteFile => ({ _tag: "Bytes", bytes: b })

export const makeSite = (data: SiteData): Effect.Effect<Site> =>
  Effect.promise(async () => {
    const index = {
      avatar: "data/avatar.bin",
      motions: data.motions.map((m, i) => ({ name: m.name, url: `data/motion-${i}.bin` })),
      anims: data.anims.map((a, i) => ({ name: a.name, url: `data/anim-${i}.bin` }))
    }
    const files: Array<[string, SiteFile]> = [
      ["index.html", bytes(new TextEncoder().encode(PAGE))],
      ["viewer.js", bytes(await viewerScript())],
      ["site.json", bytes(new TextEncoder().encode(JSON.stringify(index)))],
      ["data/avatar.bin", bytes(data.avatar)],
      ...data.motions.map((m, i): [string, SiteFile] => [`data/motion-${i}.bin`, bytes(m.bytes)]),
      ...data.anims.map((a, i): [string, SiteFile] => [`data/anim-${i}.bin`, { _tag: "Disk", file: a.file }])
    ]
    return new Map(files)
  })

const TYPES: Readonly<Record<string, string>> = { html: "text/html; charset=utf-8", js: "text/javascript", json: "application/json", bin: "application/octet-stream" }

/** Writes the site's files under `dir`, each whole or not at all (a full disk leaves no cut file). */
export const writeSite = (site: Site, dir: string): Effect.Effect<void, IoError> =>
  Effect.forEach(site, ([path, file]) =>
    Effect.flatMap(siteFileBytes(file), (bytes) => writeFileAtomic(join(dir, path), [bytes])), { discard: true })

const siteFileBytes = (file: SiteFile): Effect.Effect<Uint8Array, IoError> =>
  file._tag === "Bytes"
    ? Effect.succeed(file.bytes)
    : Effect.try({
      try: () => readFileSync(file.file),
      catch: (e) => new IoError({ file: file.file, reason: `cannot read: ${e instanceof Error ? e.message : String(e)}` })
    })

/** Serves the site on host:port (0: any free port) until interrupted; `ready` gets the URL. */
export const serveSite = (site: Site, host: string, port: number, ready: (url: string) => void): Effect.Effect<never, IoError> =>
  Effect.async<never, IoError>((resume) => {
    const server = createServer((request, response) => {
      const path = decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname.slice(1)) || "index.html"
      const file = site.get(path)
      if (file === undefined) {
        response.writeHead(404).end("not found")
        return
      }
      const headers = { "content-type": TYPES[path.split(".").pop() ?? ""] ?? "application/octet-stream", "cache-control": "no-store" }
      if (file._tag === "Bytes") response.writeHead(200, { ...headers, "content-length": file.bytes.length }).end(file.bytes)
      else {
        response.writeHead(200, { ...headers, "content-length": statSync(file.file).size })
        createReadStream(file.file).pipe(response)
      }
    })
    server.on("error", (e) => resume(Effect.fail(new IoError({ file: `${host}:${port}`, reason: `cannot serve: ${e.message}` }))))
    server.listen(port, host, () => ready(`http://${host}:${(server.address() as AddressInfo).port}/`))
    return Effect.sync(() => {
      server.closeAllConnections()
      server.close()
    })
  })
