#!/usr/bin/env node
// `npm run security`: electronegativity over the Electron main and preload sources. Prints every
// finding on one line and exits 1 on any HIGH-severity finding, or on a file it could not parse
// (a file the linter cannot read is a file nobody checked).
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'

const require = createRequire(import.meta.url)

// electronegativity downloads translations (and, in one check, Electron's release list) with
// `got`. A lint must not depend on, or reach out to, the network: hand it a `got` that fails at
// once, so it falls back to its bundled English strings.
const libRequire = createRequire(require.resolve('@doyensec/electronegativity'))
const gotPath = libRequire.resolve('got')
const offline = () => Promise.reject(new Error('offline: electronegativity runs without network'))
offline.head = offline
offline.get = offline
require.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: offline }

const run = require('@doyensec/electronegativity')
const electronVersion = require('electron/package.json').version

const root = resolve(import.meta.dirname, '..')
const inputs = process.argv.length > 2 ? process.argv.slice(2) : ['electron/main', 'electron/preload']
// Needs Electron's release list from GitHub: the answer would depend on the network, not on our code.
const excluded = ['availablesecurityfixesglobalcheck']

/**
 * One scan over a copy of every input in one tree: the global checks (navigation limits, CSP,
 * permission handler) judge the whole scan, so scanning main and preload apart would report the
 * preload for lacking main's handlers. The library's console chatter (translation download
 * notices) is kept off stdout.
 */
async function scan(tree) {
  const log = console.log
  console.log = () => {}
  try {
    return await run({
      input: tree,
      excludeFromScan: excluded,
      electronVersionOverride: electronVersion,
      isRelative: false,
      parserPlugins: [],
    })
  } finally {
    console.log = log
  }
}

const tree = mkdtempSync(join(tmpdir(), 'sockeye-security-'))
let result
try {
  for (const input of inputs) cpSync(resolve(root, input), join(tree, input), { recursive: true })
  result = await scan(tree)
} finally {
  rmSync(tree, { recursive: true, force: true })
}
const shown = (file) => (file.startsWith(tree) ? relative(tree, file) : file)

let high = 0
let unparsed = 0
for (const issue of result.issues) {
  if (issue.severity.value >= 3) high++
  const where = `${shown(issue.file)}:${issue.location.line}:${issue.location.column}`
  const text = String(issue.description).split('\n')[0]
  console.log(
    `${issue.severity.name.padEnd(13)} ${issue.confidence.name.padEnd(9)} ${issue.id}  ${where}  ${text}`,
  )
}
for (const error of result.errors) {
  if (error.tolerable) continue
  unparsed++
  console.log(`UNPARSED      ${shown(error.file)}  ${String(error.message).split('\n')[0]}`)
}
const total = result.issues.length

const summary = `electronegativity (Electron ${electronVersion}) on ${inputs.join(', ')}: ${total} findings, ${high} high, ${unparsed} unparsed files`
if (high > 0 || unparsed > 0) {
  console.error(`${summary}: FAILED`)
  process.exit(1)
}
console.log(`${summary}: OK`)
