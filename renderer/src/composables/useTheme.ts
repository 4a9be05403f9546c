import { watchEffect } from 'vue'
import { useUiStore } from '../stores/ui'

const KEY = 'sockeye.theme'

/**
 * Apply the theme choice to <html data-theme>. 'system' removes the attribute so the stylesheet's
 * prefers-color-scheme media query decides; the choice is remembered.
 */
export function useTheme(): void {
  const ui = useUiStore()
  const saved = localStorage.getItem(KEY)
  if (saved === 'light' || saved === 'dark' || saved === 'system') ui.theme = saved
  watchEffect(() => {
    const root = document.documentElement
    if (ui.theme === 'system') delete root.dataset.theme
    else root.dataset.theme = ui.theme
    localStorage.setItem(KEY, ui.theme)
  })
}
