import { Effect, Either } from "effect"
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { addNode, defineGraph, dropNode, group, input, loss, node, out, param, paramSpec, setInput, typecheck, zeros } from "../../src/dsl/index.ts"
import { port } from "../../src/dsl/shape.ts"
import { curveFit } from "../../src/graphs/curveFit.ts"
import { specs } from "../../src/ops/specs.ts"

const check = <G extends Parameters<typeof typecheck>[0]>(g: G) => Effect.runSync(Effect.either(typecheck(g)))

describe("typecheck", () => {
  it("accepts the built-in graph and orders nodes after their inputs", () => {
    const result = check(curveFit)
    assert.ok(Either.isRight(result))
    const order = result.right.order
    assert.ok(order.indexOf("hidden1") < order.indexOf("act1"))
    assert.ok(order.indexOf("curve") < order.indexOf("prediction"))
    assert.deepEqual(result.right.ports["hidden1"]?.["out"]?.shape, ["N", 32])
    assert.deepEqual(result.right.ports["error"]?.["out"]?.shape, [])
  })

  it("names the node, the port, the expected and the actual shape of a mismatch", () => {
    const broken = setInput(curveFit, "x", port(["N", 2]))
    const result = check(broken)
    assert.ok(Either.isLeft(result))
    const error = result.left
    assert.equal(error._tag, "ShapeMismatch")
    if (error._tag !== "ShapeMismatch") return
    assert.equal(error.node, "hidden1")
    assert.equal(error.port, "weight")
    assert.deepEqual(error.expected, ["I", "O"])
    assert.deepEqual(error.actual, [1, 32])
    assert.match(error.message, /node "hidden1", port "weight"/)
  })

  it("reports a dtype mismatch", () => {
    const result = check(setInput(curveFit, "y", port(["N", 1], "int32")))
    assert.ok(Either.isLeft(result) && result.left._tag === "ShapeMismatch" && result.left.port === "target")
  })

  it("reports a reference to a node that does not exist", () => {
    const result = check(dropNode(curveFit, "act1"))
    assert.ok(Either.isLeft(result))
    assert.equal(result.left._tag, "GraphError")
    assert.match(result.left.message, /node "hidden2".*unknown node "act1"/)
  })

  it("reports a cycle", () => {
    const cyclic = defineGraph({
      name: "cyclic",
      inputs: {},
      params: { b: paramSpec([2], zeros) },
      groups: { default: group(1e-3) },
      nodes: {
        a: node(specs.addBias, { x: out("c"), bias: param("b") }, {}),
        c: node(specs.addBias, { x: out("a"), bias: param("b") }, {})
      },
      losses: {}
    })
    const result = check(cyclic)
    assert.ok(Either.isLeft(result))
    assert.match(result.left.message, /cycle/)
  })

  it("requires loss terms to be scalars", () => {
    const g = defineGraph({
      name: "vectorLoss",
      inputs: { x: port([4, 2]) },
      params: { b: paramSpec([2], zeros) },
      groups: { default: group(1e-3) },
      nodes: { y: node(specs.addBias, { x: input("x"), bias: param("b") }, {}) },
      losses: { bad: loss(out("y")) }
    })
    const result = check(g)
    assert.ok(Either.isLeft(result) && result.left._tag === "ShapeMismatch")
    assert.match(result.left.message, /scalar/)
  })

  it("binds rest dimensions consistently", () => {
    const g = addNode(curveFit, "badMse", node(specs.mse, { prediction: input("x"), target: out("hidden1") }, {}))
    const result = check(g)
    assert.ok(Either.isLeft(result))
    assert.match(result.left.message, /badMse/)
  })

  it("reports a param whose optimiser group is missing", () => {
    const g = defineGraph({
      name: "noGroup",
      inputs: {},
      params: { b: paramSpec([2], zeros, { group: "decoder" }) },
      groups: { default: group(1e-3) },
      nodes: {},
      losses: {}
    })
    const result = check(g)
    assert.ok(Either.isLeft(result))
    assert.match(result.left.message, /group "decoder" is not defined/)
  })
})
