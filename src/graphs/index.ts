/** The built-in graphs. Graph specs describe; they never import tfjs. */
import { curveFit } from "./curveFit.ts"

export const graphs = { curveFit } as const
export { curveFit }
