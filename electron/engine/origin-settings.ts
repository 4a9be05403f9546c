import type { Origin, PoolSettings } from '../contract'
import { originOf } from './input'
import { applyPatch, checkPatch, DEFAULT_SETTINGS } from './settings'

/** Engine-wide defaults plus per-origin overrides, and the effective settings they make. */
export class OriginSettings {
  private readonly base: PoolSettings
  private readonly overrides = new Map<Origin, Partial<PoolSettings>>()
  /** Effective settings per origin, computed once (requests read them on every send). */
  private readonly effective = new Map<Origin, PoolSettings>()
  /** keepAliveTimeout given in the engine's defaults (e.g. --keep-alive-timeout). */
  private readonly explicitBase: boolean
  private readonly explicit = new Set<Origin>()

  constructor(defaults: Partial<PoolSettings>) {
    const problem = checkPatch(defaults)
    if (problem) throw new TypeError(`engine defaults: ${problem}`)
    this.base = applyPatch({ ...DEFAULT_SETTINGS }, defaults)
    this.explicitBase = defaults.keepAliveTimeout !== undefined
  }

  /** True when the origin's keepAliveTimeout was set explicitly: it then beats the server's hint. */
  explicitKeepAlive(origin: Origin): boolean {
    return this.explicitBase || this.explicit.has(origin)
  }

  /** A copy of the engine-wide defaults. */
  defaults(): PoolSettings {
    return { ...this.base }
  }

  /** Effective settings of an origin (frozen, shared by its requests). */
  of(origin: Origin): PoolSettings {
    let settings = this.effective.get(origin)
    if (!settings) {
      const override = this.overrides.get(origin)
      settings = Object.freeze(override ? applyPatch(this.base, override) : { ...this.base })
      this.effective.set(origin, settings)
    }
    return settings
  }

  /** A copy of an origin's effective settings; `origin` may be any URL of it. */
  get(origin: Origin): PoolSettings {
    return { ...this.of(normalizeOrigin(origin)) }
  }

  /** Applies a checked patch to a normalized origin; returns the settings before and after. */
  patch(origin: Origin, patch: Partial<PoolSettings>): { before: PoolSettings; after: PoolSettings } {
    const before = this.get(origin)
    this.overrides.set(origin, applyPatch(before, patch))
    if (patch.keepAliveTimeout !== undefined) this.explicit.add(origin)
    this.effective.delete(origin)
    return { before, after: this.get(origin) }
  }

  /** Origins that have an override. */
  overridden(): Iterable<Origin> {
    return this.overrides.keys()
  }
}

/** `scheme://host:port` of any URL of an origin; a TypeError for anything else. */
export function normalizeOrigin(origin: Origin): Origin {
  try {
    return originOf(new URL(origin))
  } catch {
    throw new TypeError(`not an origin: '${origin}'; expected scheme://host:port`)
  }
}
