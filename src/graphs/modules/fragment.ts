/**
 * Graph fragments: reusable pieces of a graph (a network, a block) as plain
 * records of params, nodes and running-statistics updates, plus the refs they
 * produce. A graph definition spreads the fragments it uses.
 */
import type { NodeSpec, ParamSpec, Ref, StateUpdate } from "../../dsl/graph.ts"
import { constantInit, glorotUniform, node, out, param, paramSpec, update, zeros } from "../../dsl/graph.ts"
import { specs } from "../../ops/specs.ts"
import type { Activation } from "../../ops/activation/spec.ts"

export interface Fragment {
  readonly params: { readonly [name: string]: ParamSpec }
  readonly nodes: { readonly [name: string]: NodeSpec }
  readonly updates: { readonly [param: string]: StateUpdate }
}

export const emptyFragment: Fragment = { params: {}, nodes: {}, updates: {} }

export const combine = (...parts: ReadonlyArray<Fragment>): Fragment => ({
  params: Object.assign({}, ...parts.map((p) => p.params)),
  nodes: Object.assign({}, ...parts.map((p) => p.nodes)),
  updates: Object.assign({}, ...parts.map((p) => p.updates))
})

/** A fragment and the ref of its result. */
export interface Built {
  readonly fragment: Fragment
  readonly output: Ref
}

/** The params of dense layer `name`: its weight and bias. */
export const denseParams = (name: string) => ({ weight: `${name}.w`, bias: `${name}.b` })

/** x · W + b over the last axis, for x [N, inC]. */
export const dense = (name: string, x: Ref, inC: number, outC: number, group: string): Built => ({
  fragment: {
    params: { [denseParams(name).weight]: paramSpec([inC, outC], glorotUniform, { group }), [denseParams(name).bias]: paramSpec([outC], zeros, { group }) },
    nodes: { [name]: node(specs.linear, { x, weight: param(denseParams(name).weight), bias: param(denseParams(name).bias) }, {}) },
    updates: {}
  },
  output: out(name)
})

export const activate = (name: string, x: Ref, fn: Activation): Built => ({
  fragment: { params: {}, nodes: { [name]: node(specs.activation, { x }, { fn }) }, updates: {} },
  output: out(name)
})

/** BatchNorm over all leading positions; `affine` adds a learned scale and shift (else fixed 1 and 0). */
export const batchNormBlock = (name: string, x: Ref, channels: number, group: string, affine: boolean): Built => ({
  fragment: {
    params: {
      [`${name}.runningMean`]: paramSpec([channels], zeros, { frozen: true }),
      [`${name}.runningVar`]: paramSpec([channels], constantInit(1), { frozen: true }),
      [`${name}.scale`]: paramSpec([channels], constantInit(1), { group, frozen: !affine }),
      [`${name}.shift`]: paramSpec([channels], zeros, { group, frozen: !affine })
    },
    nodes: {
      [name]: node(
        specs.batchNorm,
        { x, runningMean: param(`${name}.runningMean`), runningVar: param(`${name}.runningVar`), scale: param(`${name}.scale`), shift: param(`${name}.shift`) },
        { eps: 1e-5 }
      )
    },
    updates: { [`${name}.runningMean`]: update(out(name, "batchMean")), [`${name}.runningVar`]: update(out(name, "batchVar")) }
  },
  output: out(name)
})

/**
 * linear -> Softplus -> BatchNorm (affine) as one denseBlock node `name`, whose gradient keeps only
 * its input (the op recomputes the rest). Its params keep the names of the three-node form
 * (`name.linear.w`, `name.linear.b`, `name.bn.runningMean`, ...), so checkpoints of either load.
 */
export const denseBlockLayer = (name: string, x: Ref, inC: number, outC: number, group: string): Built => {
  const [linear, bn] = [`${name}.linear`, `${name}.bn`]
  return {
    fragment: {
      params: {
        [`${linear}.w`]: paramSpec([inC, outC], glorotUniform, { group }),
        [`${linear}.b`]: paramSpec([outC], zeros, { group }),
        [`${bn}.runningMean`]: paramSpec([outC], zeros, { frozen: true }),
        [`${bn}.runningVar`]: paramSpec([outC], constantInit(1), { frozen: true }),
        [`${bn}.scale`]: paramSpec([outC], constantInit(1), { group }),
        [`${bn}.shift`]: paramSpec([outC], zeros, { group })
      },
      nodes: {
        [name]: node(
          specs.denseBlock,
          {
            x,
            weight: param(`${linear}.w`),
            bias: param(`${linear}.b`),
            runningMean: param(`${bn}.runningMean`),
            runningVar: param(`${bn}.runningVar`),
            scale: param(`${bn}.scale`),
            shift: param(`${bn}.shift`)
          },
          { eps: 1e-5 }
        )
      },
      updates: { [`${bn}.runningMean`]: update(out(name, "batchMean")), [`${bn}.runningVar`]: update(out(name, "batchVar")) }
    },
    output: out(name)
  }
}

/** Chain builders: each receives the previous output. */
export const chain = (x: Ref, ...steps: ReadonlyArray<(input: Ref) => Built>): Built =>
  steps.reduce<Built>((acc, step) => {
    const next = step(acc.output)
    return { fragment: combine(acc.fragment, next.fragment), output: next.output }
  }, { fragment: emptyFragment, output: x })
