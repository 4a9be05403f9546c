import { watch, type FSWatcher } from 'chokidar'
import { resolve } from 'node:path'
import { toRelative } from './names'

/**
 * Changes made outside Sockeye (an editor, `git pull`) reported without a restart. chokidar
 * watches the collection folder (not following symlinks, skipping .git, node_modules and
 * .sockeye); changes are gathered for `settleMs` and reported once, as collection-relative
 * paths, so a `git pull` touching 200 files is one event, not 200. Temp files of atomic writes
 * (`name.yml.123`) are not collection files and are not reported.
 */
export interface CollectionWatcher {
  /** Resolves once the initial scan is done and changes are being reported. */
  ready: Promise<void>
  close(): Promise<void>
}

const SKIP = /(^|[\\/])(\.git|node_modules|\.sockeye)([\\/]|$)/

export function watchCollection(
  dir: string,
  onChange: (paths: string[]) => void,
  options: { settleMs?: number } = {},
): CollectionWatcher {
  const root = resolve(dir)
  const pending = new Set<string>()
  let timer: NodeJS.Timeout | null = null
  const watcher: FSWatcher = watch(root, {
    ignoreInitial: true,
    followSymlinks: false,
    depth: 32,
    ignored: (path: string) => SKIP.test(toRelative(root, path)),
  })
  const flush = () => {
    timer = null
    const paths = [...pending].sort()
    pending.clear()
    if (paths.length > 0) onChange(paths)
  }
  const note = (kind: 'file' | 'dir') => (path: string) => {
    const rel = toRelative(root, path)
    if (kind === 'file' && !/\.ya?ml$/i.test(rel)) return
    pending.add(rel)
    timer ??= setTimeout(flush, options.settleMs ?? 75)
  }
  watcher.on('add', note('file')).on('change', note('file')).on('unlink', note('file'))
  watcher.on('addDir', note('dir')).on('unlinkDir', note('dir'))
  // A watcher error (a folder removed under it, too many watches) must not crash the app.
  watcher.on('error', () => undefined)
  const ready = new Promise<void>((done) => watcher.once('ready', () => done()))
  return {
    ready,
    async close() {
      if (timer) clearTimeout(timer)
      timer = null
      pending.clear()
      await watcher.close()
    },
  }
}
