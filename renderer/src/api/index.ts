import { fromPreload, type RendererApi } from './current'
import { createWsApi } from './wsClient'

/**
 * The API for this page: the preload's bridge in Electron, else the WebSocket twin of the same
 * contract served by `sockeye serve` (the token comes from the page URL the server printed).
 */
export function connectApi(): RendererApi {
  if (window.sockeye) return fromPreload(window.sockeye)
  const token = new URLSearchParams(location.search).get('token') ?? ''
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
  return createWsApi(`${scheme}://${location.host}/ws?token=${encodeURIComponent(token)}`)
}

export { setApi, useApi, type RendererApi, type LinkState } from './current'
export { ApiError, errorLine } from './errors'
