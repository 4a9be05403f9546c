import { isSockeyeError, type EngineEvent, type SockeyeApi } from './contract'
import { ApiError } from './errors'

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

/**
 * Wrap the preload's API: IPC is up as long as the window lives. contextBridge copies an Error with
 * its message only, so the preload rejects with a plain `{code, phase, message}`; turn it back into
 * an ApiError here so every caller sees one error type, as with the WebSocket client.
 */
export function fromPreload(api: SockeyeApi): RendererApi {
  const wrapped = Object.fromEntries(
    Object.entries(api).map(([name, fn]) => [
      name,
      name === 'onEvents'
        ? fn
        : (input: unknown) =>
            (fn as (i: unknown) => Promise<unknown>)(input).catch((err: unknown) => {
              throw isSockeyeError(err) ? new ApiError(err) : err
            }),
    ]),
  ) as unknown as SockeyeApi
  return {
    ...wrapped,
    onLink(listener) {
      listener('open', null)
      return () => {}
    },
  }
}

export type { EngineEvent }
