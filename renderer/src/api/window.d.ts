import type { SockeyeApi } from './contract'

declare global {
  interface Window {
    /** Exposed by the Electron preload through contextBridge; absent in browser mode. */
    sockeye?: SockeyeApi
  }
}

export {}
