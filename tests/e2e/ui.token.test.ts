import { describe, expect, it } from 'vitest'
import { useUiHarness, type AppUnderTest } from './helpers/app'

const ui = useUiHarness()

/** Open a second page on the running server at `url`; returns the HTTP status and whether the composer showed. */
async function visit(
  app: AppUnderTest,
  url: string,
): Promise<{ status: number | undefined; composer: number }> {
  const page = await app.page.context().browser()!.newPage()
  try {
    const response = await page.goto(url)
    return { status: response?.status(), composer: await page.getByLabel('URL', { exact: true }).count() }
  } finally {
    await page.close()
  }
}

describe('browser mode access', () => {
  it('refuses the page without a token and shows nothing usable', async () => {
    const app = await ui.open()
    const base = app.serve.url.replace(/\?token=.*$/, '')
    expect(await visit(app, base)).toEqual({ status: 401, composer: 0 })
  })

  it('refuses the page with a wrong token and shows nothing usable', async () => {
    const app = await ui.open()
    const wrong = app.serve.url.replace(/token=[^&]+/, 'token=wrong-token')
    expect(await visit(app, wrong)).toEqual({ status: 401, composer: 0 })
  })

  it('refuses a WebSocket with the right token from another origin', async () => {
    const app = await ui.open()
    const page = await ui.browser().newPage()
    try {
      // about:blank has an opaque origin; a socket opened from it must not reach the engine.
      const ws = app.serve.url.replace(/^http/, 'ws').replace('/?token=', '/ws?token=')
      const outcome = await page.evaluate(
        (url) =>
          new Promise<string>((resolve) => {
            const g = globalThis as unknown as {
              WebSocket: new (u: string) => { onopen: () => void; onclose: () => void }
            }
            const socket = new g.WebSocket(url)
            socket.onopen = () => resolve('open')
            socket.onclose = () => resolve('refused')
          }),
        ws,
      )
      expect(outcome).toBe('refused')
    } finally {
      await page.close()
    }
  })
})
