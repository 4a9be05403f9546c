import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { useUiHarness } from './helpers/app'

const ui = useUiHarness()
let dir = ''
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
  dir = ''
})

describe('UI state across restarts', () => {
  it('keeps the draft and the theme when browser mode restarts (a new engine, a new origin)', async () => {
    dir = await mkdtemp(join(tmpdir(), 'sockeye-restart-'))
    const statePath = join(dir, 'ui-state.json')
    const first = await ui.open({ statePath })
    await first.page.getByLabel('URL', { exact: true }).fill('http://127.0.0.1:9/kept-draft')
    await first.page.getByLabel('Theme').selectOption('dark')
    // Saved through the host (a write follows the last change by a fraction of a second).
    await expect.poll(() => readFile(statePath, 'utf8').catch(() => '')).toContain('kept-draft')
    await first.close()

    const second = await ui.open({ statePath })
    expect(second.serve.port).not.toBe(first.serve.port)
    await expect
      .poll(() => second.page.getByLabel('URL', { exact: true }).inputValue())
      .toBe('http://127.0.0.1:9/kept-draft')
    expect(await second.page.getByLabel('Theme').inputValue()).toBe('dark')
    expect(
      await second.page.evaluate(
        () =>
          (globalThis as unknown as { document: { documentElement: { dataset: Record<string, string> } } })
            .document.documentElement.dataset.theme,
      ),
    ).toBe('dark')
  })
})
