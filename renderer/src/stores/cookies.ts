import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { CallInput, CookieEntry } from '../api/contract'
import { useApi } from '../api/current'

/** A cookie as the jar names it (RFC 6265 §5.3: name, domain and path identify it). */
export type CookieKey = Pick<CookieEntry, 'name' | 'domain' | 'path'>
/** What the editor sends: a new or edited cookie. */
export type CookieDraft = CallInput<'setCookie'>['cookie']

/**
 * The workspace's cookie jar as the host keeps it (on disk, never in localStorage): this store only
 * mirrors the last `listCookies` answer and sends the user's edits.
 */
export const useCookiesStore = defineStore('cookies', () => {
  const enabled = ref(true)
  const cookies = ref<CookieEntry[]>([])
  const loaded = ref(false)

  /** Cookies grouped by domain, domains and names in alphabetical order. */
  const byDomain = computed(() => {
    const groups = new Map<string, CookieEntry[]>()
    const sorted = [...cookies.value].sort(
      (a, b) =>
        a.domain.localeCompare(b.domain) || a.name.localeCompare(b.name) || a.path.localeCompare(b.path),
    )
    for (const c of sorted) groups.set(c.domain, [...(groups.get(c.domain) ?? []), c])
    return [...groups].map(([domain, list]) => ({ domain, cookies: list }))
  })

  /** Reload the jar from the host. */
  async function load(): Promise<void> {
    const answer = await useApi().listCookies({})
    enabled.value = answer.enabled
    cookies.value = answer.cookies
    loaded.value = true
  }

  /** Add a cookie, or replace `replace` (the cookie being edited) with it. */
  async function save(cookie: CookieDraft, replace?: CookieKey): Promise<void> {
    // Only the key: the call's schema refuses the rest of a listed cookie's fields.
    const key = replace && { name: replace.name, domain: replace.domain, path: replace.path }
    await useApi().setCookie(key ? { cookie, replace: key } : { cookie })
    await load()
  }

  async function remove(key: CookieKey): Promise<void> {
    await useApi().deleteCookie({ name: key.name, domain: key.domain, path: key.path })
    await load()
  }

  async function clear(): Promise<void> {
    await useApi().clearCookies({})
    await load()
  }

  /** Turn the jar on or off (the host keeps the choice). */
  async function setEnabled(on: boolean): Promise<void> {
    enabled.value = (await useApi().setCookiesEnabled({ enabled: on })).enabled
  }

  return { enabled, cookies, loaded, byDomain, load, save, remove, clear, setEnabled }
})
