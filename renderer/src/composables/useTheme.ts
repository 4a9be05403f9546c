import { watchEffect } from 'vue'
import { useUiStore } from '../stores/ui'
import { uiStorage } from '../stores/uiState'

const KEY = 'sockeye.theme'

/**
 * Apply the theme choice to <html data-theme>. 'system' removes the attribute so the stylesheet's
 * prefers-color-scheme media query decides; the choice is remembered (in the host's UI state).
 */
export function useTheme(): void {
  const ui = useUiStore()
  const storage = uiStorage()
  const saved = storage.getItem(KEY)
  if (saved === 'light' || saved === 'dark' || saved === 'system') ui.theme = saved
  watchEffect(() => {
    const root = document.documentElement
    if (ui.theme === 'system') delete root.dataset.theme
    else root.dataset.theme = ui.theme
    storage.setItem(KEY, ui.theme)
  })
}
