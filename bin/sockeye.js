#!/usr/bin/env node
// The `sockeye` command: a plain ESM shim over the built CLI (electron-vite writes out/main/cli.js).
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const cli = new URL('../out/main/cli.js', import.meta.url)
if (!existsSync(fileURLToPath(cli))) {
  process.stderr.write('sockeye: not built yet; run `npm run build` first\n')
  process.exit(2)
}
await import(cli.href)
