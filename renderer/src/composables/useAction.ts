import { useUiStore } from '../stores/ui'

/**
 * Run a UI action and turn any failure into the one-line status message, so a click handler never
 * leaves an unhandled rejection behind.
 */
export function useAction() {
  const ui = useUiStore()
  return async function run<T>(action: () => Promise<T>): Promise<T | undefined> {
    try {
      const value = await action()
      ui.error = null
      return value
    } catch (err) {
      ui.fail(err)
      return undefined
    }
  }
}
