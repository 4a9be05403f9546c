import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useComposerStore } from '../../renderer/src/stores/composer'
import { resetUiState, uiStorage } from '../../renderer/src/stores/uiState'
import { locationTarget, useLocation } from '../../renderer/src/composables/useLocation'
import { errorText } from '../../renderer/src/composables/errorText'
import { useRequestsStore } from '../../renderer/src/stores/requests'
import { useRunsStore } from '../../renderer/src/stores/runs'
import { ev, result } from '../e2e/helpers/fabricate'

beforeEach(() => {
  resetUiState()
  setActivePinia(createPinia())
})

describe('composer: Follow redirects (max N)', () => {
  it('is off by default and sends no redirects field', () => {
    const composer = useComposerStore()
    composer.setUrl('http://127.0.0.1:1/a')
    expect(composer.follow).toBe(false)
    const built = composer.toSpec()
    expect(built.ok && 'redirects' in built.spec).toBe(false)
  })

  it('sends { follow, max } when on, and is remembered with the draft', () => {
    const composer = useComposerStore()
    composer.setUrl('http://127.0.0.1:1/a')
    composer.follow = true
    composer.maxRedirects = 3
    const built = composer.toSpec()
    expect(built.ok && built.spec.redirects).toEqual({ follow: true, max: 3 })
    const saved = JSON.parse(uiStorage().getItem('sockeye.composer.v1') ?? '{}')
    expect([saved.follow, saved.maxRedirects]).toEqual([true, 3])
    // A fresh store (the app restarted) reads it back.
    setActivePinia(createPinia())
    const again = useComposerStore()
    expect([again.follow, again.maxRedirects]).toEqual([true, 3])
  })

  it('clamps a remembered max into the contract range', () => {
    uiStorage().setItem(
      'sockeye.composer.v1',
      JSON.stringify({ url: 'http://a/', follow: true, maxRedirects: 999 }),
    )
    expect(useComposerStore().maxRedirects).toBe(50)
  })
})

describe('Location header as a link', () => {
  it('resolves relative targets against the request URL; only http(s) is a link', () => {
    expect(locationTarget('/b?x=1', 'http://127.0.0.1:8080/a/c')).toBe('http://127.0.0.1:8080/b?x=1')
    expect(locationTarget('d', 'http://127.0.0.1:8080/a/c')).toBe('http://127.0.0.1:8080/a/d')
    expect(locationTarget('https://other.test/', 'http://a/')).toBe('https://other.test/')
    expect(locationTarget('javascript:alert(1)', 'http://a/')).toBeNull()
    expect(locationTarget('ftp://a/f', 'http://a/')).toBeNull()
  })

  it('opens the absolute target as a GET in a new composer tab, keeping the current one', () => {
    const composer = useComposerStore()
    composer.setUrl('http://127.0.0.1:1/original')
    expect(useLocation().open('/next', 'http://127.0.0.1:1/original')).toBe(true)
    expect(composer.tabs).toHaveLength(2)
    expect([composer.method, composer.url]).toEqual(['GET', 'http://127.0.0.1:1/next'])
    composer.switchTab(composer.tabs[0]!.id)
    expect(composer.url).toBe('http://127.0.0.1:1/original')
  })
})

describe('GUI wording of TOO_MANY_REDIRECTS', () => {
  // The engine's message (tests/unit/redirect.test.ts pins the 'raise --max-redirs' phrase there).
  it('names the composer setting instead of the CLI flag', () => {
    const message =
      'stopped after 2 redirects (max 2): this 302 goes on to http://a/; check for a loop or raise --max-redirs (up to 50)'
    const text = errorText({ code: 'TOO_MANY_REDIRECTS', phase: 'receive', message })
    expect(text).toBe(
      "stopped after 2 redirects (max 2): this 302 goes on to http://a/; check for a loop or raise the max beside 'Follow redirects' in the composer (up to 50)",
    )
  })
})

describe('run progress with a followed chain', () => {
  it('counts a chain once, by its last hop, and stays active until that hop ends', () => {
    const requests = useRequestsStore()
    const runs = useRunsStore()
    runs.track([1], 3, { method: 'GET', url: 'http://127.0.0.1:4000/a', headers: [], body: null })
    const link = { from: 1, hop: 1, head: 1 }
    requests.apply([
      ev('request:completed', { result: result(1, { status: 302, redirect: null, redirectedTo: 2 }) }),
    ])
    // The 302 ended, its hop has no row yet: the run is not done.
    expect(runs.active).toBe(true)
    requests.apply([
      ev('request:queued', {
        requestId: 2,
        method: 'GET',
        url: 'http://127.0.0.1:4000/b',
        origin: 'http://127.0.0.1:4000',
        requestHeaders: [],
        requestBodyBytes: 0,
        retryOf: null,
        redirect: link,
      }),
    ])
    expect(requests.row(2)?.redirect).toEqual(link)
    expect(runs.active).toBe(true)
    requests.apply([ev('request:completed', { result: result(2, { redirect: link, redirectedTo: null }) })])
    expect(runs.progress).toMatchObject({ total: 1, sent: 1, ok: 1, ended: 1 })
    expect(runs.active).toBe(false)
  })
})
