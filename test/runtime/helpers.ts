/** Layers and small datasets shared by the runtime tests. */
import { Effect, Layer } from "effect"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { BackendName } from "../../src/runtime/backend.ts"
import { BackendLive } from "../../src/runtime/backend.ts"
import { BuiltinOps } from "../../src/ops/registry.ts"
import type { ProgressEvent } from "../../src/runtime/progress.ts"
import { ProgressCollect, ProgressSilent } from "../../src/runtime/progress.ts"

export const testLayers = (backend: BackendName, events?: ProgressEvent[]) =>
  Layer.mergeAll(BackendLive(backend), BuiltinOps, events ? ProgressCollect(events) : ProgressSilent)

export const runWith = <A, E>(backend: BackendName, effect: Effect.Effect<A, E, never | import("../../src/runtime/backend.ts").Backend | import("../../src/ops/registry.ts").Ops | import("../../src/runtime/progress.ts").Progress>) =>
  Effect.runPromise(Effect.either(effect.pipe(Effect.provide(testLayers(backend)))))

export const tempDir = (prefix: string): string => mkdtempSync(join(tmpdir(), `gavatar-${prefix}-`))
