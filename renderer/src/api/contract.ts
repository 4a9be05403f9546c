/**
 * The renderer's one door to the shared contract. Types (plus one constant and one type guard) only: the renderer
 * never bundles the contract's validation schemas (main and the browser-mode server validate every call).
 * A relative path rather than the `@contract` alias because the web tsconfig has no `paths`.
 */
export type * from '../../../electron/contract'
export { KEEP_ALIVE_MARGIN_MS, isSockeyeError } from '../../../electron/contract/model'
export { LIMITS } from '../../../electron/contract/limits'
