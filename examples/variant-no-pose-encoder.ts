/**
 * Variant "no pose encoder": stage 2 without the U-Net pose encoder (src/graphs/avatar/variants/noPoseEncoder.ts),
 * after the usual stage 1. With --baseline, the full stage 2 for comparison.
 *
 *   npm run example:variant-no-pose-encoder -- [--baseline] [flags of examples/variant-common.ts]
 */
import { noPoseEncoder } from "../src/graphs/avatar/variants/index.ts"
import { runVariantExample } from "./variant-common.ts"

await runVariantExample({ name: "no-pose-encoder", stage2: (c) => noPoseEncoder(c) })
