import type { PoolSettings } from '../contract'
import { MiB, RANGES, type RangeName } from '../contract/limits'

/**
 * Engine-wide pool defaults. undici's own defaults except `allowH2`, which is on as in browsers:
 * an https origin that offers h2 in ALPN gets one multiplexed connection.
 */
export const DEFAULT_SETTINGS: Readonly<PoolSettings> = Object.freeze({
  connections: 6,
  pipelining: 1,
  keepAliveTimeout: 4000,
  keepAliveMaxTimeout: 600_000,
  allowH2: true,
  rejectUnauthorized: true,
  connectTimeout: 10_000,
  headersTimeout: 300_000,
  bodyTimeout: 300_000,
  maxBodyBytes: 10 * MiB,
  maxDecodedBytes: 10 * MiB,
  maxTime: 0,
})

/**
 * Inclusive bounds of each numeric pool setting, from the contract's table (its schema reads the
 * same ranges). Only the settings' own names: `repeat` or `port` are ranges too, not pool settings.
 */
const BOUNDS: Partial<Record<string, readonly [number, number]>> = Object.fromEntries(
  Object.entries(DEFAULT_SETTINGS)
    .filter(([, value]) => typeof value === 'number')
    .map(([key]) => [key, RANGES[key as RangeName]]),
)

/** Settings that only change how the engine keeps bodies: changing them needs no new pool. */
const BODY_ONLY = new Set(['maxBodyBytes', 'maxDecodedBytes', 'maxTime'])

/**
 * Checks a settings patch; returns a one-line problem or null. Unknown keys are problems too, so a
 * typo never silently does nothing.
 */
export function checkPatch(patch: Partial<PoolSettings>): string | null {
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue
    if (key === 'allowH2' || key === 'rejectUnauthorized') {
      if (typeof value !== 'boolean') return `${key} must be true or false`
      continue
    }
    const bounds = BOUNDS[key]
    if (!bounds) return `unknown pool setting '${key}'`
    if (typeof value !== 'number' || !Number.isInteger(value) || value < bounds[0] || value > bounds[1]) {
      return `${key} must be an integer from ${bounds[0]} to ${bounds[1]}`
    }
  }
  return null
}

/** `base` with the defined fields of `patch` applied (undefined fields are ignored). */
export function applyPatch(base: PoolSettings, patch: Partial<PoolSettings>): PoolSettings {
  const next = { ...base }
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined) (next as Record<string, unknown>)[key] = value
  }
  return next
}

/** True when going from `a` to `b` changes anything the undici pool itself was built with. */
export function needsNewPool(a: PoolSettings, b: PoolSettings): boolean {
  for (const key of Object.keys(a) as Array<keyof PoolSettings>) {
    if (!BODY_ONLY.has(key) && a[key] !== b[key]) return true
  }
  return false
}
