/**
 * The TLS trust offer shows the refused certificate before the user trusts the origin: subject,
 * issuer, validity and SHA-256 fingerprint, the fingerprint checked against Node's own
 * X509Certificate; the server counts the requests that reached it (none before Trust).
 */
import { X509Certificate } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { screenshot, sendFromComposer, useUiHarness } from './helpers/app'
import { seriousViolations } from './helpers/axe'
import { startHttpsServer } from '../helpers/servers'

const ui = useUiHarness()

describe('TLS trust offer', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    it(`shows the refused certificate before Trust, then trusts and resends (${colorScheme})`, async () => {
      let reached = 0
      const tls = await ui.track(
        startHttpsServer((_req, res) => {
          reached++
          res.end('ok')
        }),
      )
      const x509 = new X509Certificate(tls.cert)
      const { page } = await ui.open({ colorScheme, viewport: { width: 1440, height: 900 } })
      await sendFromComposer(page, `${tls.url}/secure`)
      const table = page.getByRole('table', { name: 'Certificate' })
      await table.waitFor()
      const cells = async () =>
        Object.fromEntries(
          await table
            .locator('tr')
            .evaluateAll((rows) =>
              rows.map((r) => [
                r.querySelector('th')?.textContent ?? '',
                r.querySelector('td')?.textContent ?? '',
              ]),
            ),
        ) as Record<string, string>
      const shown = await cells()
      expect(shown['SHA-256']).toBe(x509.fingerprint256)
      expect(shown.Subject).toBe('CN=localhost')
      expect(shown.Issuer).toBe('CN=localhost (self-signed)')
      expect(shown.Valid).toBe(`${x509.validFrom} → ${x509.validTo}`)
      const trust = page.getByRole('button', { name: 'Trust this origin until restart (skip verification)' })
      expect(await trust.isVisible()).toBe(true)
      expect(reached).toBe(0)
      expect(await seriousViolations(page)).toEqual([])
      await screenshot(page, `trust-offer-1440x900-${colorScheme}`)
      await page.setViewportSize({ width: 1024, height: 700 })
      expect(await table.isVisible()).toBe(true)
      await screenshot(page, `trust-offer-1024x700-${colorScheme}`)

      await trust.click()
      await expect.poll(() => page.locator('.detail-pane-summary-status').innerText()).toBe('200 OK')
      expect(reached).toBe(1)
    }, 60_000)
  }
})
