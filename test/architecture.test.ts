/**
 * Architecture rules checked on the source tree:
 * - src/dsl, src/graphs and op specs never reach tfjs, even transitively;
 * - every op is one folder with spec.ts, <op>.ts (kernel) and <op>.ref.ts (Float64 reference),
 *   its kernel file opens with a header comment, and a property test under test/ops uses it;
 * - production code never imports a Float64 reference (*.ref.ts): only references, src/testing,
 *   tests and benches do;
 * - every import between two folders of src/ follows an arrow of `allowedArrows` (type imports
 *   count), and the folders form no cycle.
 */
import assert from "node:assert/strict"
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { describe, it } from "node:test"

const root = resolve(import.meta.dirname, "..")
/** Modules a file loads at run time: `import type` / `export type` vanish when compiled, so they do not count. */
const importsOf = (file: string): string[] =>
  [...readFileSync(file, "utf8").matchAll(/(?:import|export)(?!\s+type\b)[^"';]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)].map((m) => (m[1] ?? m[2]) as string)

/** Every bare package a file reaches through relative imports. */
const reachablePackages = (start: string): Map<string, string> => {
  const seen = new Set<string>()
  const packages = new Map<string, string>()
  const stack = [start]
  while (stack.length > 0) {
    const file = stack.pop() as string
    if (seen.has(file)) continue
    seen.add(file)
    for (const spec of importsOf(file)) {
      if (spec.startsWith(".")) stack.push(resolve(dirname(file), spec))
      else if (!packages.has(spec)) packages.set(spec, file)
    }
  }
  return packages
}

const filesIn = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesIn(path) : path.endsWith(".ts") ? [path] : []
  })

/** Every module a file imports, type imports included (they are dependencies of the reader too). */
const allImportsOf = (file: string): string[] =>
  [...readFileSync(file, "utf8").matchAll(/(?:import|export)[^"';]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|new URL\(\s*["'](\.[^"']+)["']/g)].map((m) => (m[1] ?? m[2] ?? m[3]) as string)

/**
 * The folders of src/ and the folders each may import from. Base folders import nothing of ours;
 * the command line imports the most. A new folder must be added here with its arrows.
 */
const allowedArrows: Readonly<Record<string, ReadonlyArray<string>>> = {
  dsl: [],
  math: [],
  io: [],
  wasm: [],
  metrics: [],
  video: ["io"],
  viz: ["io"],
  data: ["io", "math"],
  body: ["io", "math"],
  lpips: ["io"],
  raster: ["math", "wasm"],
  ops: ["body", "dsl", "lpips", "math", "metrics", "raster", "wasm"],
  graphs: ["body", "data", "dsl", "lpips", "math", "ops"],
  runtime: ["data", "dsl", "graphs", "io", "math", "ops", "raster", "wasm"],
  testing: ["data", "dsl", "math", "ops", "raster", "runtime"],
  synth: ["body", "data", "io", "math", "metrics", "viz"],
  motion: ["body", "data", "io", "math"],
  avatar: ["body", "data", "dsl", "graphs", "io", "lpips", "math", "metrics", "ops", "raster", "runtime", "video", "viz"],
  prepare: ["avatar", "body", "data", "dsl", "graphs", "io", "math", "metrics", "ops", "raster", "runtime", "video", "viz"],
  viewer: ["avatar", "body", "data", "dsl", "graphs", "io", "math", "motion", "ops", "raster", "runtime", "video", "viz"],
  cli: ["avatar", "body", "data", "dsl", "graphs", "io", "lpips", "math", "motion", "ops", "prepare", "raster", "runtime", "synth", "video", "viewer", "viz"]
}

const srcRoot = join(root, "src")
const folderOf = (file: string): string | undefined => {
  const rel = file.startsWith(srcRoot + "/") ? file.slice(srcRoot.length + 1) : undefined
  return rel?.includes("/") ? rel.slice(0, rel.indexOf("/")) : undefined
}

/** Folder arrows of src/: from -> to -> one file:import that makes it. */
const folderArrows = (): Map<string, Map<string, string>> => {
  const arrows = new Map<string, Map<string, string>>()
  for (const file of filesIn(srcRoot)) {
    const from = folderOf(file)
    if (from === undefined) continue
    for (const spec of allImportsOf(file)) {
      if (!spec.startsWith(".")) continue
      const to = folderOf(resolve(dirname(file), spec))
      if (to === undefined || to === from) continue
      const byTarget = arrows.get(from) ?? new Map<string, string>()
      if (!byTarget.has(to)) byTarget.set(to, `${file.slice(root.length + 1)} imports ${spec}`)
      arrows.set(from, byTarget)
    }
  }
  return arrows
}

/** A cycle of folders, as a path, or undefined. */
const findCycle = (arrows: ReadonlyMap<string, ReadonlyMap<string, string>>): ReadonlyArray<string> | undefined => {
  const state = new Map<string, "open" | "done">()
  const visit = (folder: string, path: ReadonlyArray<string>): ReadonlyArray<string> | undefined => {
    if (state.get(folder) === "open") return [...path.slice(path.indexOf(folder)), folder]
    if (state.get(folder) === "done") return undefined
    state.set(folder, "open")
    for (const next of arrows.get(folder)?.keys() ?? []) {
      const cycle = visit(next, [...path, folder])
      if (cycle) return cycle
    }
    state.set(folder, "done")
    return undefined
  }
  for (const folder of arrows.keys()) {
    const cycle = visit(folder, [])
    if (cycle) return cycle
  }
  return undefined
}

const opFolders = readdirSync(join(root, "src/ops")).filter((n) => statSync(join(root, "src/ops", n)).isDirectory())

describe("architecture", () => {
  const describeOnly = [...filesIn(join(root, "src/dsl")), ...filesIn(join(root, "src/graphs")), join(root, "src/ops/specs.ts"), ...opFolders.map((op) => join(root, "src/ops", op, "spec.ts"))]
  for (const file of describeOnly) {
    it(`${file.slice(root.length + 1)} never reaches tfjs`, () => {
      for (const [pkg, via] of reachablePackages(file)) assert.ok(!pkg.startsWith("@tensorflow/"), `${pkg} reached through ${via.slice(root.length + 1)}`)
    })
  }

  const arrows = folderArrows()
  it("every folder of src/ is declared with its allowed arrows", () => {
    const folders = readdirSync(srcRoot).filter((n) => statSync(join(srcRoot, n)).isDirectory())
    for (const folder of folders) assert.ok(folder in allowedArrows, `src/${folder} is not in allowedArrows of test/architecture.test.ts`)
  })
  it("imports between folders follow the allowed arrows", () => {
    for (const [from, targets] of arrows)
      for (const [to, where] of targets) assert.ok((allowedArrows[from] ?? []).includes(to), `src/${from} -> src/${to} is not an allowed arrow (${where})`)
  })
  it("the folders of src/ form no cycle", () => {
    const cycle = findCycle(arrows)
    assert.equal(cycle, undefined, `folder cycle: ${cycle?.join(" -> ")}`)
  })
  it("the allowed arrows themselves form no cycle", () => {
    const declared = new Map(Object.entries(allowedArrows).map(([from, to]) => [from, new Map(to.map((t) => [t, "declared"]))]))
    const cycle = findCycle(declared)
    assert.equal(cycle, undefined, `declared cycle: ${cycle?.join(" -> ")}`)
  })
  it("production code imports no Float64 reference (*.ref.ts)", () => {
    const isReference = (file: string) => file.endsWith(".ref.ts")
    for (const file of filesIn(srcRoot).filter((f) => !isReference(f) && folderOf(f) !== "testing"))
      for (const spec of allImportsOf(file)) assert.ok(!spec.endsWith(".ref.ts"), `${file.slice(root.length + 1)} imports ${spec}`)
  })

  const tests = filesIn(join(root, "test/ops")).map((f) => readFileSync(f, "utf8"))
  for (const op of opFolders) {
    it(`op ${op}: spec, kernel with header, Float64 reference, property test`, () => {
      for (const file of ["spec.ts", `${op}.ts`, `${op}.ref.ts`]) assert.ok(existsSync(join(root, "src/ops", op, file)), `src/ops/${op}/${file} is missing`)
      assert.match(readFileSync(join(root, "src/ops", op, `${op}.ts`), "utf8"), /^\/\*\*/, "the kernel file starts with its math/shapes header")
      assert.ok(
        tests.some((t) => t.includes(`src/ops/${op}/`) && t.includes("checkOp(")),
        `no test under test/ops imports src/ops/${op}/ and calls checkOp`
      )
    })
  }
})
