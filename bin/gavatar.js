#!/usr/bin/env node
// The `gavatar` command: registers tsx's loader (gavatar ships TypeScript sources) and runs src/cli/main.ts.
import { register } from "tsx/esm/api"

register()
await import("../src/cli/main.ts")
