import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../..')
const require = createRequire(import.meta.url)

/** electron-builder's own loader and schema check, as `npm run dist` runs them (no download). */
async function loadBuilderConfig(file: string): Promise<Record<string, unknown>> {
  const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config')
  const { DebugLogger } = require('builder-util/out/DebugLogger')
  const config = await getConfig(root, file, null)
  await validateConfiguration(config, new DebugLogger(false))
  return config
}

describe('packaging config', () => {
  it('passes electron-builder’s schema validation', async () => {
    await expect(loadBuilderConfig('electron-builder.yml')).resolves.toBeTruthy()
  })

  it('flips the security fuses: no run-as-node, NODE_OPTIONS or inspector; asar only, with integrity', async () => {
    const config = await loadBuilderConfig('electron-builder.yml')
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
    })
    expect(config.asar).toBe(true)
  })

  it('packs only the built bundles and package.json', async () => {
    const config = await loadBuilderConfig('electron-builder.yml')
    // The loader normalizes the list into one file set.
    expect(config.files).toEqual([{ filter: ['out/**', 'package.json'] }])
  })

  it('uses a 512×512 RGBA PNG icon', () => {
    const png = readFileSync(resolve(root, 'resources/icon.png'))
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG')
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512])
    expect(png[25]).toBe(6) // colour type 6: truecolour with alpha
  })
})
