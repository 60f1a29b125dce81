/** The `gavatar` command (bin/gavatar.js loads this file through tsx): `npx tsx src/cli/main.ts --help` works too. */
import { main } from "./commands.ts"

process.exitCode = await main(process.argv.slice(2))
