/**
 * The `sockeye` command (built to out/main/cli.js, started by bin/sockeye.js). Plain Node: no Electron.
 */
import { installLastResort } from '../engine/last-resort'
import { main } from './run'

installLastResort((line) => process.stderr.write(`${line}\n`))

const controller = new AbortController()
let interrupts = 0
const onSignal = () => {
  // A second Ctrl+C means "now": do not wait for pools to close.
  if (++interrupts > 1) process.exit(130)
  controller.abort()
}
process.on('SIGINT', onSignal)
process.on('SIGTERM', onSignal)
// `sockeye … | head -1`: the reader left. Stop like a Unix tool killed by SIGPIPE (128 + 13), no stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(141)
  throw err
})

const io = { stdout: process.stdout, stderr: process.stderr, env: process.env, signal: controller.signal }
const argv = process.argv.slice(2)
// Subcommands on files: `run` (collections), `import`/`export`/`open` (formats); everything else is
// `sockeye [options] <url>…` or `serve`.
// Loaded only when used: `sockeye <url>` does not pay for the YAML, curl and HAR parsers.
const code =
  argv[0] === 'run'
    ? await (await import('./collection')).runCollection(argv.slice(1), io)
    : argv[0] === 'import' || argv[0] === 'export' || argv[0] === 'open'
      ? await (await import('./formats')).runFormats(argv, io)
      : await main(argv, io)
process.off('SIGINT', onSignal)
process.off('SIGTERM', onSignal)
// exitCode, not exit(): the process ends on its own once the engine has closed every socket.
process.exitCode = code
