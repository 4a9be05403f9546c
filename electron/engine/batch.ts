import { setTimeout as delay } from 'node:timers/promises'
import type { RequestResult } from '../contract'

/**
 * Sends `count` requests, `concurrency` at a time; each worker waits `delayMs` between its own
 * sends (the CLI's --delay). `send(i)` resolves with the attempts of request i (a retried request
 * has two); the result lists every attempt in send order.
 */
export async function runBatch(
  count: number,
  concurrency: number,
  delayMs: number,
  send: (index: number) => Promise<RequestResult[]>,
): Promise<RequestResult[]> {
  const attempts: RequestResult[][] = Array.from({ length: count }, () => [])
  let next = 0
  const worker = async (): Promise<void> => {
    let first = true
    while (next < count) {
      const i = next++
      if (!first && delayMs > 0) await delay(delayMs)
      first = false
      attempts[i] = await send(i)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker))
  return attempts.flat()
}
