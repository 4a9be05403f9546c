import { KEEP_ALIVE_MARGIN_MS, type HeaderList, type PoolSettings } from '../api/contract'
import { formatMs } from './format'

/** `Keep-Alive: timeout=N` of a response, in seconds, or null. */
export function hintFrom(headers: HeaderList): number | null {
  const value = headers.find(([name]) => name.toLowerCase() === 'keep-alive')?.[1]
  const match = value ? /(?:^|[,\s])timeout\s*=\s*(\d+)/i.exec(value) : null
  return match ? Number(match[1]) : null
}

/**
 * The server's Keep-Alive hint against the client idle timer, as a sentence. The engine follows a hint
 * minus KEEP_ALIVE_MARGIN_MS (capped by keepAliveMaxTimeout) so that it, not the server, closes an idle
 * socket first: reusing a socket the server is closing at that moment is the stale-socket race.
 */
export function keepAliveText(
  hint: number | null,
  s: Pick<PoolSettings, 'keepAliveTimeout' | 'keepAliveMaxTimeout'> | null,
): string {
  if (!s)
    return hint === null ? 'No Keep-Alive hint from the server.' : `The server keeps idle sockets ${hint} s.`
  if (hint === null) {
    return `No Keep-Alive hint from the server: Sockeye closes an idle socket after ${formatMs(s.keepAliveTimeout)}.`
  }
  const wanted = hint * 1000 - KEEP_ALIVE_MARGIN_MS
  const effective = Math.max(0, Math.min(wanted, s.keepAliveMaxTimeout))
  const why =
    wanted > s.keepAliveMaxTimeout
      ? `the keep-alive maximum (${formatMs(s.keepAliveMaxTimeout)})`
      : `${formatMs(KEEP_ALIVE_MARGIN_MS)} before the server would, so a socket is never reused just as the server closes it`
  const instead =
    effective === s.keepAliveTimeout ? '' : ` (instead of the default ${formatMs(s.keepAliveTimeout)})`
  return `The server keeps idle sockets ${hint} s (Keep-Alive: timeout=${hint}); Sockeye closes this one after ${formatMs(effective)} idle${instead}: ${why}.`
}
