import { describe, expect, it } from 'vitest'
import { useUiHarness } from './helpers/app'

const ui = useUiHarness()

describe('link to browser mode', () => {
  it('says in one line that the server is gone, and keeps the page usable', async () => {
    const app = await ui.open()
    const { page } = app
    await app.serve.close()
    const status = page.getByRole('status')
    await expect
      .poll(() => status.innerText(), { timeout: 10_000 })
      .toMatch(/^Cannot reach the Sockeye server: .+$/)
    expect(await status.innerText()).not.toContain('\n')
    await page.getByLabel('URL', { exact: true }).fill('http://127.0.0.1:1/still-typing')
    expect(app.errors).toEqual([])
  })
})
