import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { EngineEvent, Origin, PoolSettings, PoolStats, Snapshot } from '../api/contract'
import { useApi, type RendererApi } from '../api/current'
import { uiStorage } from './uiState'

/** UI state key of the settings the user changed per origin (re-applied to a fresh engine). */
const SAVED_KEY = 'sockeye.pools.v1'

function saved(): Record<Origin, PoolSettingsPatch> {
  try {
    const value: unknown = JSON.parse(uiStorage().getItem(SAVED_KEY) ?? '{}')
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<Origin, PoolSettingsPatch>)
      : {}
  } catch {
    return {}
  }
}

/**
 * Keep what the user changed for an origin, merged with what they changed before. Skipping TLS
 * verification is never kept: it is trust "until restart", asked for again after one.
 */
function remember(origin: Origin, patch: PoolSettingsPatch): void {
  const { rejectUnauthorized: _trust, ...kept } = patch
  if (Object.keys(kept).length === 0) return
  const all = saved()
  all[origin] = { ...all[origin], ...kept }
  uiStorage().setItem(SAVED_KEY, JSON.stringify(all))
}

/**
 * Apply the pool settings saved in the UI state to the engine (after a restart it knows none of
 * them). Each origin is one configurePool call, validated by the host like any other; a setting
 * the engine refuses is dropped from what is saved.
 */
export async function restorePoolSettings(api: Pick<RendererApi, 'configurePool'>): Promise<void> {
  const all = saved()
  let changed = false
  for (const [origin, patch] of Object.entries(all)) {
    try {
      await api.configurePool({ origin, settings: patch })
    } catch {
      delete all[origin]
      changed = true
    }
  }
  if (changed) uiStorage().setItem(SAVED_KEY, JSON.stringify(all))
}

/** A change to one origin's pool settings, as the configurePool call takes it. */
export type PoolSettingsPatch = Partial<PoolSettings>

/** Live pool stats and settings per origin; configurePool / closePool actions. */
export const usePoolsStore = defineStore('pools', () => {
  const stats = shallowRef<Record<Origin, PoolStats>>({})
  const settings = shallowRef<Record<Origin, PoolSettings>>({})
  const defaults = ref<PoolSettings | null>(null)

  const origins = computed(() =>
    [...new Set([...Object.keys(stats.value), ...Object.keys(settings.value)])].sort(),
  )

  /** Replace everything with a snapshot's pools and settings. */
  function load(snapshot: Pick<Snapshot, 'pools' | 'settings' | 'defaults'>): void {
    stats.value = Object.fromEntries(snapshot.pools.map((p) => [p.origin, p]))
    settings.value = { ...snapshot.settings }
    defaults.value = snapshot.defaults
  }

  /** Apply one batch of engine events in a single mutation per map. */
  function apply(events: EngineEvent[]): void {
    let nextStats: Record<Origin, PoolStats> | null = null
    let nextSettings: Record<Origin, PoolSettings> | null = null
    for (const e of events) {
      if (e.type === 'pool:stats') {
        nextStats ??= { ...stats.value }
        nextStats[e.stats.origin] = e.stats
      } else if (e.type === 'pool:settings') {
        nextSettings ??= { ...settings.value }
        nextSettings[e.origin] = e.settings
      }
    }
    if (nextStats) stats.value = nextStats
    if (nextSettings) settings.value = nextSettings
  }

  /** Effective settings for an origin: its own if known, else the engine defaults. */
  function settingsFor(origin: Origin): PoolSettings | null {
    return settings.value[origin] ?? defaults.value
  }

  /** Change an origin's pool; new requests use the new settings, in-flight ones finish. */
  async function configurePool(origin: Origin, patch: PoolSettingsPatch): Promise<PoolSettings> {
    const next = await useApi().configurePool({ origin, settings: patch })
    settings.value = { ...settings.value, [origin]: next }
    remember(origin, patch)
    return next
  }

  /** Close an origin's sockets (all origins when null); the next request opens a new one. */
  async function closePool(origin: Origin | null): Promise<number> {
    const { closed } = await useApi().closePool({ origin })
    return closed
  }

  return { stats, settings, defaults, origins, load, apply, settingsFor, configurePool, closePool }
})
