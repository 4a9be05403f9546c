import { classifyError, oneLine } from './errors'

/**
 * The last line of defence of a process running the engine (CLI, browser mode, Electron main): an
 * exception nothing caught, or a rejection nobody handled, becomes one typed line on `write` and
 * the process goes on, instead of a stack trace and an exit. Request failures never get here
 * (they are RequestResult errors); this catches bugs, ours or a library's.
 */
export function installLastResort(write: (line: string) => void): () => void {
  const report = (what: string) => (err: unknown) => {
    const e = classifyError(err, { phase: 'input', origin: '', host: '' })
    write(oneLine(`sockeye: internal error (${e.code}, ${what}): ${e.message} (please report it)`))
  }
  const onException = report('uncaught exception')
  const onRejection = report('unhandled rejection')
  process.on('uncaughtException', onException)
  process.on('unhandledRejection', onRejection)
  return () => {
    process.off('uncaughtException', onException)
    process.off('unhandledRejection', onRejection)
  }
}
