import type { SyncSink } from '../../renderer/src/api/sync'

/** A sync sink that logs what it is given, one line per call (`load@seq`, `apply 1,2`, `link open`). */
export function recorder() {
  const log: string[] = []
  const sink: SyncSink = {
    load: (s) => log.push(`load@${s.lastSeq}`),
    apply: (events) => log.push(`apply ${events.map((e) => e.seq).join(',')}`),
    link: (s) => log.push(`link ${s}`),
    error: () => log.push('error'),
  }
  return { log, sink }
}
