/**
 * viewer.js: the page's code (client/main.ts) bundled with three.js and Spark from node_modules by
 * esbuild, one ES module, nothing fetched from elsewhere. The motion readers it shares with the
 * command line reach Node's file functions only on paths the page never takes; those `node:`
 * imports resolve to an empty module here.
 */
import { build } from "esbuild"
import { fileURLToPath } from "node:url"

const entry = fileURLToPath(new URL("./client/main.ts", import.meta.url))

let cached: Promise<Uint8Array> | undefined

export const viewerScript = (): Promise<Uint8Array> =>
  (cached ??= build({
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    write: false,
    logLevel: "silent",
    plugins: [
      {
        name: "node-builtins",
        setup: (b) => {
          b.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: "node-builtin" }))
          b.onLoad({ filter: /.*/, namespace: "node-builtin" }, () => ({ contents: "module.exports = {}", loader: "js" }))
        }
      }
    ]
  }).then((result) => (result.outputFiles[0] as { contents: Uint8Array }).contents))
