/**
 * Architecture rules checked on the source tree:
 * - src/dsl, src/graphs and op specs never reach tfjs, even transitively;
 * - every op is one folder with spec.ts, <op>.ts (kernel) and <op>.ref.ts (Float64 reference),
 *   its kernel file opens with a header comment, and a property test under test/ops uses it.
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

const opFolders = readdirSync(join(root, "src/ops")).filter((n) => statSync(join(root, "src/ops", n)).isDirectory())

describe("architecture", () => {
  const describeOnly = [...filesIn(join(root, "src/dsl")), ...filesIn(join(root, "src/graphs")), join(root, "src/ops/specs.ts"), ...opFolders.map((op) => join(root, "src/ops", op, "spec.ts"))]
  for (const file of describeOnly) {
    it(`${file.slice(root.length + 1)} never reaches tfjs`, () => {
      for (const [pkg, via] of reachablePackages(file)) assert.ok(!pkg.startsWith("@tensorflow/"), `${pkg} reached through ${via.slice(root.length + 1)}`)
    })
  }

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
