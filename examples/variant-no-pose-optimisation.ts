/**
 * Variant "no pose optimisation": stage 1 with the per-frame poses and translations frozen
 * (src/graphs/avatar/variants/noPoseOptimisation.ts; stage 2 freezes them anyway). The synthetic body
 * fit is noisy by default here (2 degrees, 1 cm), so that pose optimisation has something to correct:
 * compare with --baseline.
 *
 *   npm run example:variant-no-pose-optimisation -- [--baseline] [flags of examples/variant-common.ts]
 */
import { stage1 } from "../src/graphs/avatar/stage1.ts"
import { noPoseOptimisation } from "../src/graphs/avatar/variants/index.ts"
import { runVariantExample } from "./variant-common.ts"

await runVariantExample({ name: "no-pose-optimisation", stage1: (c) => noPoseOptimisation(stage1(c)), noise: { degrees: 2, centimetres: 1 } })
