/**
 * Variant "anisotropic Gaussians with a learned rotation" in both stages (src/graphs/avatar/variants/anisotropic.ts).
 *
 *   npm run example:variant-anisotropic -- [--baseline] [flags of examples/variant-common.ts]
 */
import { stage1 } from "../src/graphs/avatar/stage1.ts"
import { stage2 } from "../src/graphs/avatar/stage2.ts"
import { anisotropic } from "../src/graphs/avatar/variants/index.ts"
import { runVariantExample } from "./variant-common.ts"

await runVariantExample({ name: "anisotropic", stage1: (c) => anisotropic(stage1(c), c), stage2: (c) => anisotropic(stage2(c), c) })
