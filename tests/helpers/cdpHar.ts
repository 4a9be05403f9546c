/**
 * A HAR made by Chromium itself: the DevTools protocol's Network events turned into HAR 1.2 entries
 * the way DevTools' "Save all as HAR" does (`connection` = the response's `connectionId`,
 * `serverIPAddress`, timings from `response.timing`). Used to test `sockeye open` on a real
 * browser's connection ids.
 */
import type { CDPSession } from 'playwright-core'

interface Sent {
  requestId: string
  request: { url: string; method: string; headers: Record<string, string> }
  wallTime: number
  timestamp: number
}
interface Timing {
  requestTime: number
  dnsStart: number
  dnsEnd: number
  connectStart: number
  connectEnd: number
  sslStart: number
  sslEnd: number
  sendStart: number
  sendEnd: number
  receiveHeadersEnd: number
}
interface Received {
  requestId: string
  response: {
    url: string
    status: number
    statusText: string
    protocol?: string
    headers: Record<string, string>
    mimeType: string
    connectionId: number
    remoteIPAddress?: string
    timing?: Timing
  }
}
interface Finished {
  requestId: string
  timestamp: number
  encodedDataLength: number
}

export interface HarRecorder {
  /** Resolves once `n` requests have finished loading. */
  finished(n: number): Promise<void>
  har(): unknown
}

export async function recordHar(cdp: CDPSession): Promise<HarRecorder> {
  const sent = new Map<string, Sent>()
  const received = new Map<string, Received>()
  const done = new Map<string, Finished>()
  let waiter: (() => void) | null = null
  cdp.on('Network.requestWillBeSent', (e: Sent) => void sent.set(e.requestId, e))
  cdp.on('Network.responseReceived', (e: Received) => void received.set(e.requestId, e))
  cdp.on('Network.loadingFinished', (e: Finished) => {
    done.set(e.requestId, e)
    waiter?.()
  })
  await cdp.send('Network.enable')
  const span = (start: number, end: number) => (start >= 0 && end >= 0 ? end - start : -1)
  return {
    finished: (n) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (done.size >= n) resolve()
        }
        waiter = check
        check()
      }),
    har() {
      const entries = [...done.values()]
        .filter((f) => sent.has(f.requestId) && received.has(f.requestId))
        .map((f) => {
          const s = sent.get(f.requestId) as Sent
          const r = (received.get(f.requestId) as Received).response
          const t = r.timing
          const total = (f.timestamp - s.timestamp) * 1000
          const headersEnd = t ? t.receiveHeadersEnd : 0
          const timings = t
            ? {
                blocked: Math.max(0, (t.requestTime - s.timestamp) * 1000),
                dns: span(t.dnsStart, t.dnsEnd),
                connect: span(t.connectStart, t.connectEnd),
                ssl: span(t.sslStart, t.sslEnd),
                send: Math.max(0, t.sendEnd - t.sendStart),
                wait: Math.max(0, t.receiveHeadersEnd - t.sendEnd),
                receive: Math.max(0, (f.timestamp - t.requestTime) * 1000 - headersEnd),
              }
            : { blocked: -1, dns: -1, connect: -1, ssl: -1, send: 0, wait: 0, receive: 0 }
          const headers = (h: Record<string, string>) =>
            Object.entries(h).map(([name, value]) => ({ name, value }))
          return {
            startedDateTime: new Date(s.wallTime * 1000).toISOString(),
            time: total,
            request: {
              method: s.request.method,
              url: s.request.url,
              httpVersion: r.protocol ?? 'http/1.1',
              headers: headers(s.request.headers),
              queryString: [],
              cookies: [],
              headersSize: -1,
              bodySize: 0,
            },
            response: {
              status: r.status,
              statusText: r.statusText,
              httpVersion: r.protocol ?? 'http/1.1',
              headers: headers(r.headers),
              cookies: [],
              content: { size: 0, mimeType: r.mimeType },
              redirectURL: '',
              headersSize: -1,
              bodySize: -1,
              _transferSize: f.encodedDataLength,
            },
            cache: {},
            timings,
            serverIPAddress: r.remoteIPAddress ?? '',
            connection: String(r.connectionId),
          }
        })
      return {
        log: { version: '1.2', creator: { name: 'WebInspector', version: '537.36' }, pages: [], entries },
      }
    },
  }
}
