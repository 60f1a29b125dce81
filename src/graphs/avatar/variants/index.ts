/**
 * Ablation variants of the avatar graphs, each a few typed edits of stage1(config) or
 * stage2(config) (no copies of their code). The edits of a graph compose, e.g.
 * learnedOpacity(anisotropic(stage1(c), c), c).
 */
export { anisotropic } from "./anisotropic.ts"
export { learnedOpacity } from "./learnedOpacity.ts"
export { noPoseEncoder, poseEncoderOnly } from "./noPoseEncoder.ts"
export { noPoseOptimisation } from "./noPoseOptimisation.ts"
