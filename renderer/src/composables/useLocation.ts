import { blankDraft, useComposerStore } from '../stores/composer'

/**
 * The absolute http(s) URL a `Location` value points to, resolved against the URL of the request
 * that got it (RFC 9110 §10.2.2: a relative reference), or null when it is not an http(s) URL.
 */
export function locationTarget(value: string, base: string): string | null {
  try {
    const url = new URL(value.trim(), base)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null
  } catch {
    return null
  }
}

/** A response's Location header as a way into the composer: its target opens as a new draft tab. */
export function useLocation() {
  const composer = useComposerStore()
  return {
    target: locationTarget,
    /** Open `value` (resolved against `base`) as a GET in a new composer tab; false when not http(s). */
    open(value: string, base: string): boolean {
      const url = locationTarget(value, base)
      if (url === null) return false
      composer.openTab({ ...blankDraft(), url })
      return true
    },
  }
}
