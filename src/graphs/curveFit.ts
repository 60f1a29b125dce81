/**
 * curveFit: a small MLP fitting y = f(x) from frames of points, where every
 * frame also carries an unknown vertical offset learned as a per-frame param
 * (the same mechanism that refines per-frame body poses in the avatar).
 *
 *   x -> linear(H) -> tanh -> linear(H) -> tanh -> linear(1) -> + offset[frame] -> prediction
 *   loss: mse(prediction, y); metric: psnr with peak 2
 */
import { defineGraph, glorotUniform, group, input, loss, node, out, param, paramSpec, zeros } from "../dsl/graph.ts"
import { fromEpoch, multiStep } from "../dsl/schedule.ts"
import { port } from "../dsl/shape.ts"
import { specs } from "../ops/specs.ts"

const tanh = { fn: { _tag: "Tanh" } } as const

export const curveFit = defineGraph({
  name: "curveFit",
  dims: { H: 32 },
  inputs: { x: port(["N", 1]), y: port(["N", 1]) },
  params: {
    w1: paramSpec([1, "H"], glorotUniform, { group: "net" }),
    b1: paramSpec(["H"], zeros, { group: "net" }),
    w2: paramSpec(["H", "H"], glorotUniform, { group: "net" }),
    b2: paramSpec(["H"], zeros, { group: "net" }),
    w3: paramSpec(["H", 1], glorotUniform, { group: "net" }),
    b3: paramSpec([1], zeros, { group: "net" }),
    offset: paramSpec([1], zeros, { group: "frames", perFrame: true })
  },
  groups: {
    net: group(multiStep(1e-2, [30], 0.3)),
    // Per-frame corrections start after two epochs, as pose optimisation starts late in the avatar.
    frames: group(fromEpoch(2, 2e-2))
  },
  nodes: {
    hidden1: node(specs.linear, { x: input("x"), weight: param("w1"), bias: param("b1") }, {}),
    act1: node(specs.activation, { x: out("hidden1") }, tanh),
    hidden2: node(specs.linear, { x: out("act1"), weight: param("w2"), bias: param("b2") }, {}),
    act2: node(specs.activation, { x: out("hidden2") }, tanh),
    curve: node(specs.linear, { x: out("act2"), weight: param("w3"), bias: param("b3") }, {}),
    prediction: node(specs.addBias, { x: out("curve"), bias: param("offset") }, {}),
    error: node(specs.mse, { prediction: out("prediction"), target: input("y") }, {}),
    psnr: node(specs.psnr, { prediction: out("prediction"), target: input("y") }, { peak: 2 })
  },
  losses: { mse: loss(out("error"), 1) },
  metrics: { psnr: out("psnr") },
  outputs: { prediction: out("prediction"), curve: out("curve") }
})

export type CurveFitGraph = typeof curveFit
