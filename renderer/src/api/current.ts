import type { EngineEvent, SockeyeApi } from './contract'

/** Link to the engine: 'open' when calls can go through, 'connecting' while (re)connecting. */
export type LinkState = 'connecting' | 'open'

/** The contract's API plus the link state, which only the renderer needs. */
export interface RendererApi extends SockeyeApi {
  /** Called with the current state at once, then on every change. Returns an unsubscribe function. */
  onLink(listener: (state: LinkState, detail: string | null) => void): () => void
}

let current: RendererApi | null = null

/** Install the API every store action uses (main.ts does it once; unit tests install a fake). */
export function setApi(api: RendererApi | null): void {
  current = api
}

/** The installed API; throws (a programmer error) when main.ts has not installed one. */
export function useApi(): RendererApi {
  if (!current) throw new Error('Sockeye API not installed')
  return current
}

/** Wrap the preload's API: IPC is up as long as the window lives. */
export function fromPreload(api: SockeyeApi): RendererApi {
  return {
    ...api,
    onLink(listener) {
      listener('open', null)
      return () => {}
    },
  }
}

export type { EngineEvent }
