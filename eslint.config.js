// @ts-check
import tseslint from "typescript-eslint"

const tensorFree = {
  patterns: [
    { group: ["@tensorflow/*"], message: "src/dsl, src/graphs and op specs describe computations; only src/ops kernels and src/runtime touch tensors." },
    { group: ["**/runtime/**", "**/ops/registry.ts", "**/ops/apply.ts", "**/ops/*/*.ts", "!**/ops/*/spec.ts"], message: "describe-only code may import op specs (src/ops/specs.ts, src/ops/<op>/spec.ts), not kernels or the runtime." }
  ]
}

export default tseslint.config(
  { ignores: ["node_modules/**", "out/**", "runs/**", ".device/**", ".gl/**", "src/**/assembly/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
      "no-restricted-syntax": ["error", { selector: "TSEnumDeclaration", message: "use a union of string literals or a tagged union" }]
    }
  },
  {
    files: ["src/dsl/**/*.ts", "src/graphs/**/*.ts", "src/ops/*/spec.ts", "src/ops/specs.ts"],
    rules: { "no-restricted-imports": ["error", tensorFree] }
  }
)
