/**
 * The built-in graphs. Graph specs describe; they never import tfjs.
 * curveFit is a value. graphs.stage1 and graphs.stage2 are graph builders (src/graphs/avatar/avatar.ts):
 * run(graphs.stage1, dataset) builds the graph from the dataset's camera and body shape with the open
 * body and the quick preset; graphs.stage1.with({ preset: presets.paper }) changes a choice. The spec
 * functions stage1(config) and stage2(config) stay exported for typed edits; graphs.render(trainingGraph)
 * poses a trained graph by per-sample inputs. graphs.fit is the body fit of `gavatar prepare` (src/graphs/fit/).
 */
import { avatarBuilder, defaultChoices } from "./avatar/avatar.ts"
import { renderOf } from "./avatar/render.ts"
import { curveFit } from "./curveFit.ts"
import { defaultFitChoices, fitBuilder } from "./fit/builder.ts"

export const graphs = { curveFit, stage1: avatarBuilder(defaultChoices(1)), stage2: avatarBuilder(defaultChoices(2)), render: renderOf, fit: fitBuilder(defaultFitChoices()) } as const
export { curveFit }
export { stage1 } from "./avatar/stage1.ts"
export { stage2 } from "./avatar/stage2.ts"
export { avatarBuilder, avatarGraphs, subjectOf } from "./avatar/avatar.ts"
export type { AvatarBuilder, AvatarChoices, AvatarGraphs, AvatarSubject } from "./avatar/avatar.ts"
export type { GraphBuilder } from "./builder.ts"
export { isGraphBuilder } from "./builder.ts"
export { definePreset, presets } from "./avatar/presets.ts"
export type { Preset } from "./avatar/presets.ts"
export { fitGraph, orientationStage } from "./fit/fit.ts"
export type { FitBuilder, FitChoices } from "./fit/builder.ts"
