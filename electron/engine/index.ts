import type { EngineApi, EngineOptions } from './api'
import { Engine } from './engine'

export type { EngineApi, EngineOptions, RunOptions } from './api'
export { DEFAULT_SETTINGS } from './settings'

/** Creates an engine: per-origin undici pools, socket identity and lifecycle events, in plain Node. */
export function createEngine(options?: EngineOptions): EngineApi {
  return new Engine(options)
}
