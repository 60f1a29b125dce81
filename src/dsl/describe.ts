/** describe(graph): the graph as Mermaid flowchart text, for the README and for debugging. */
import type { AnyGraph, LossTerm, NodeSpec, ParamSpec, Ref } from "./graph.ts"
import { describeScalar } from "./schedule.ts"
import type { Port, Shape } from "./shape.ts"

const formatShape = (shape: Shape): string => `[${shape.join(", ")}]`
const id = (kind: string, name: string): string => `${kind}_${name.replace(/[^A-Za-z0-9_]/g, "_")}`
const quote = (text: string): string => `"${text.replace(/"/g, "'")}"`

const refId = (ref: Ref): string => {
  switch (ref._tag) {
    case "Input":
      return id("in", ref.name)
    case "Param":
      return id("p", ref.name)
    case "Node":
      return id("n", ref.node)
  }
}

const edge = (ref: Ref, target: string, label: string): string => {
  const from = ref._tag === "Node" && ref.output !== "out" ? `${ref.output} → ${label}` : label
  return `  ${refId(ref)} -->|${quote(from)}| ${target}`
}

export const describe = (graph: AnyGraph): string => {
  const lines = [`flowchart LR`, `  %% graph ${graph.name}`]
  for (const [name, p] of Object.entries(graph.inputs as Record<string, Port>)) lines.push(`  ${id("in", name)}[/${quote(`${name} ${formatShape(p.shape)}`)}/]`)
  for (const [name, p] of Object.entries(graph.params as Record<string, ParamSpec>)) {
    const flags = [p.perFrame ? "per frame" : "", p.frozen ? "frozen" : `group ${p.group}`].filter(Boolean).join(", ")
    lines.push(`  ${id("p", name)}[(${quote(`${name} ${formatShape(p.shape)} ${flags}`)})]`)
  }
  for (const [name, n] of Object.entries(graph.nodes as Record<string, NodeSpec>)) {
    lines.push(`  ${id("n", name)}[${quote(`${name}: ${n.op.name}`)}]`)
    for (const [port, ref] of Object.entries(n.inputs as Record<string, Ref>)) lines.push(edge(ref, id("n", name), port))
  }
  for (const [name, term] of Object.entries(graph.losses as Record<string, LossTerm>)) {
    lines.push(`  ${id("loss", name)}{{${quote(`loss ${name} × ${describeScalar(term.weight)}`)}}}`)
    lines.push(`  ${refId(term.value)} --> ${id("loss", name)}`)
  }
  for (const [name, ref] of Object.entries(graph.metrics as Record<string, Ref>)) {
    lines.push(`  ${id("metric", name)}([${quote(`metric ${name}`)}])`)
    lines.push(`  ${refId(ref)} -.-> ${id("metric", name)}`)
  }
  for (const [name, ref] of Object.entries(graph.outputs as Record<string, Ref>)) {
    lines.push(`  ${id("out", name)}[\\${quote(`output ${name}`)}\\]`)
    lines.push(`  ${refId(ref)} --> ${id("out", name)}`)
  }
  for (const [name, u] of Object.entries(graph.updates)) lines.push(`  ${refId(u.value)} -.->|${quote(`running, momentum ${u.momentum}`)}| ${id("p", name)}`)
  return lines.join("\n")
}
