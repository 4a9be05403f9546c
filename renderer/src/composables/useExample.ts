import { ref, watch } from 'vue'
import { useApi } from '../api/current'
import { useComposerStore } from '../stores/composer'
import { usePoolsStore } from '../stores/pools'
import { useRequestsStore } from '../stores/requests'
import { useUiStore } from '../stores/ui'
import { useAction } from './useAction'

/** `scheme://host:port` with the port spelled out, as the contract's origins are. */
export function originOf(url: string): string {
  const u = new URL(url)
  const port = u.port || (u.protocol === 'https:' ? '443' : '80')
  return `${u.protocol}//${u.hostname}:${port}`
}

/**
 * The founding scenario, one click: two GETs with different query strings, one after the other, on
 * a pool of one socket against Sockeye's own loopback demo server. The second reuses the first's
 * socket, which is the whole idea of the app.
 */
export function useExample() {
  const composer = useComposerStore()
  const pools = usePoolsStore()
  const ui = useUiStore()
  const requests = useRequestsStore()
  const run = useAction()
  const running = ref(false)

  /** Resolves once the request has ended (send returns as soon as the ids are allocated). */
  function ended(id: number): Promise<void> {
    return new Promise((resolve) => {
      const stop = watch(
        () => requests.row(id)?.state,
        (state) => {
          if (state !== 'done' && state !== 'failed') return
          queueMicrotask(() => stop())
          resolve()
        },
        { immediate: true },
      )
    })
  }

  async function sendVia(url: string): Promise<number | undefined> {
    composer.method = 'GET'
    composer.setUrl(url)
    const [id] = await composer.send()
    if (id !== undefined) await ended(id)
    return id
  }

  async function runExample(): Promise<void> {
    running.value = true
    await run(async () => {
      const { baseUrl } = await useApi().startDemo({})
      await pools.configurePool(originOf(baseUrl), { connections: 1 })
      composer.bodyMode = 'none'
      composer.repeat = 1
      composer.concurrency = 1
      composer.fresh = false
      const first = await sendVia(`${baseUrl}/search?q=python&v=1.0`)
      if (first !== undefined) ui.select(first)
      const second = await sendVia(`${baseUrl}/search?q=php&v=1.0`)
      if (second !== undefined) ui.select(second)
      ui.detailTab = 'connection'
    })
    running.value = false
  }

  return { running, runExample }
}
