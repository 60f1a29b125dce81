/**
 * The built-in graphs. Graph specs describe; they never import tfjs.
 * curveFit is a value; the avatar graphs are built from a Stage1Config (the body's sizes and the
 * dataset's camera): graphs.stage1(config), graphs.stage2(config), graphs.render(trainingGraph).
 */
import { renderOf } from "./avatar/render.ts"
import { stage1 } from "./avatar/stage1.ts"
import { stage2 } from "./avatar/stage2.ts"
import { curveFit } from "./curveFit.ts"

export const graphs = { curveFit, stage1, stage2, render: renderOf } as const
export { curveFit }
