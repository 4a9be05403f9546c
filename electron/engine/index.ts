// Placeholder until the engine lands: the public entry re-exports the engine API.
export type { EngineApi, EngineOptions, RunOptions } from './api'
