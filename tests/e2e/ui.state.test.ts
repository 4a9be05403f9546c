import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { sendFromComposer, useUiHarness } from './helpers/app'
import { startHttpServer } from '../helpers/servers'

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

  it('re-applies the pool settings changed for an origin to the engine after a restart', async () => {
    dir = await mkdtemp(join(tmpdir(), 'sockeye-restart-'))
    const statePath = join(dir, 'ui-state.json')
    const server = await ui.track(startHttpServer())
    const first = await ui.open({ statePath })
    await sendFromComposer(first.page, `${server.url}/a`)
    await first.page.locator('.request-list-row .status.ok').waitFor()
    await first.page.getByRole('tab', { name: 'Connections', exact: true }).click()
    await first.page.getByLabel('Connections (max sockets)').fill('2')
    await first.page.getByRole('button', { name: 'Apply settings' }).click()
    await expect.poll(() => readFile(statePath, 'utf8').catch(() => '')).toContain('"connections\\":2')
    await first.close()

    // A fresh engine knows nothing of the origin until the UI re-applies what was saved.
    const second = await ui.open({ statePath })
    await second.page.getByRole('tab', { name: 'Connections', exact: true }).click()
    await expect.poll(() => second.page.getByLabel('Connections (max sockets)').inputValue()).toBe('2')
  })
})
