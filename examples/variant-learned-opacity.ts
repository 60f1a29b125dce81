/**
 * Variant "learned opacity" in both stages (src/graphs/avatar/variants/learnedOpacity.ts).
 *
 *   npm run example:variant-learned-opacity -- [--baseline] [flags of examples/variant-common.ts]
 */
import { stage1 } from "../src/graphs/avatar/stage1.ts"
import { stage2 } from "../src/graphs/avatar/stage2.ts"
import { learnedOpacity } from "../src/graphs/avatar/variants/index.ts"
import { runVariantExample } from "./variant-common.ts"

await runVariantExample({ name: "learned-opacity", stage1: (c) => learnedOpacity(stage1(c), c), stage2: (c) => learnedOpacity(stage2(c), c) })
