import { defineOp } from "../../dsl/op.ts"
import { port } from "../../dsl/shape.ts"

export const gatherRowsSpec = defineOp({
  name: "gatherRows",
  doc: "Rows of a table picked by index (e.g. the valid texels of a UV feature map)",
  inputs: ["table", "indices"],
  outputs: ["out"],
  differentiable: ["table"],
  signature: (_attrs: Record<string, never>) => ({
    inputs: { table: port(["M", "C"]), indices: port(["N"], "int32") },
    outputs: { out: port(["N", "C"]) }
  })
})
