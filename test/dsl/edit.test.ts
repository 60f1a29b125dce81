import { Effect, Either } from "effect"
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { constant, describe as describeGraph, dropLoss, freeze, node, out, param, replaceNode, setDim, setWeight, stepDecay, typecheck } from "../../src/dsl/index.ts"
import { curveFit } from "../../src/graphs/curveFit.ts"
import { specs } from "../../src/ops/specs.ts"

describe("graph edits", () => {
  it("return new frozen graphs and leave the original alone", () => {
    const frozen = freeze(curveFit, "offset")
    assert.equal(frozen.params.offset.frozen, true)
    assert.equal(curveFit.params.offset.frozen, false)
    assert.ok(Object.isFrozen(frozen) && Object.isFrozen(frozen.params.offset))
    assert.throws(() => {
      ;(frozen.params as unknown as Record<string, unknown>)["offset"] = null
    })
  })

  it("change a loss weight to a schedule and drop a loss", () => {
    const weighted = setWeight(curveFit, "mse", stepDecay(10, 0.85, 20))
    assert.deepEqual(weighted.losses.mse.weight, { _tag: "StepDecay", base: 10, gamma: 0.85, everyEpochs: 20 })
    const dropped = dropLoss(weighted, "mse")
    assert.equal("mse" in dropped.losses, false)
    assert.equal("mse" in weighted.losses, true)
  })

  it("replace a node and change a dim; the variant still typechecks", () => {
    const relu = replaceNode(curveFit, "act1", node(specs.activation, { x: out("hidden1") }, { fn: { _tag: "Relu" } }))
    const wide = setDim(relu, "H", 64)
    const checked = Effect.runSync(Effect.either(typecheck(wide)))
    assert.ok(Either.isRight(checked))
    assert.deepEqual(checked.right.ports["hidden2"]?.["out"]?.shape, ["N", 64])
  })

  it("a wrong replacement is caught by typecheck, not at run time", () => {
    const wrong = replaceNode(curveFit, "hidden2", node(specs.addBias, { x: out("act1"), bias: param("b3") }, {}))
    const checked = Effect.runSync(Effect.either(typecheck(wrong)))
    assert.ok(Either.isLeft(checked) && checked.left._tag === "ShapeMismatch")
    assert.equal(checked.left.node, "hidden2")
  })

  it("names unknown to the graph are compile errors (checked here at run time too)", () => {
    // @ts-expect-error "nope" is not a loss of curveFit
    assert.throws(() => setWeight(curveFit, "nope", constant(1)), /no loss "nope"/)
  })
})

describe("describe(graph)", () => {
  it("renders every input, param, node, loss, metric and output as Mermaid", () => {
    const text = describeGraph(curveFit)
    assert.match(text, /^flowchart LR/)
    for (const name of ["in_x", "p_w1", "p_offset", "n_hidden1", "n_prediction", "loss_mse", "metric_psnr", "out_prediction"]) assert.ok(text.includes(name), name)
    assert.match(text, /p_offset\[\("offset \[1\] per frame, group frames"\)\]/)
    assert.match(text, /n_act1 -->\|"x"\| n_hidden2/)
  })
})
