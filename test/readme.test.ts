/** The README's TypeScript examples run as written, so the docs cannot drift from the code. */
import assert from "node:assert/strict"
import { execFileSync } from "node:child_process"
import { readFileSync, rmSync, writeFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { describe, it } from "node:test"

const root = resolve(import.meta.dirname, "..")
const blocks = [...readFileSync(join(root, "README.md"), "utf8").matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string)

const runBlock = (code: string, index: number): string => {
  const file = join(root, `.readme-example-${index}.ts`)
  writeFileSync(file, code)
  try {
    return execFileSync(process.execPath, ["--import", "tsx", file], { cwd: root, encoding: "utf8" })
  } finally {
    rmSync(file, { force: true })
  }
}

describe("README examples", () => {
  it("has examples to run", () => assert.ok(blocks.length >= 2))
  blocks.forEach((code, index) => {
    it(`example ${index + 1} runs`, () => {
      const output = runBlock(code, index)
      if (code.includes('defineGraph({\n  name: "line"')) {
        const numbers = [...output.matchAll(/-?\d+\.\d+/g)].map((m) => Number(m[0]))
        assert.ok(Math.abs((numbers[0] ?? 0) - 3) < 0.05 && Math.abs((numbers[1] ?? 0) + 1) < 0.05, `fitted line: ${output}`)
      }
    })
  })
})
