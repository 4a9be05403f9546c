/**
 * The `sockeye` command (built to out/main/cli.js, started by bin/sockeye.js). Plain Node: no Electron.
 */
import { installLastResort } from '../engine/last-resort'
import { main } from './run'
import { runCollection } from './collection'

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
// Subcommands on files (collections); everything else is `sockeye [options] <url>…` or `serve`.
const code = argv[0] === 'run' ? await runCollection(argv.slice(1), io) : await main(argv, io)
process.off('SIGINT', onSignal)
process.off('SIGTERM', onSignal)
// exitCode, not exit(): the process ends on its own once the engine has closed every socket.
process.exitCode = code
