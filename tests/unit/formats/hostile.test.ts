/** Hostile import files: each is one clear line (an ImportError), bounded in time and memory. */
import { describe, expect, it } from 'vitest'
import { importBytes, importText, ImportError } from '../../../electron/workspace/import'
import { openHar } from '../../../electron/workspace/import/recording'
import { toSpec } from '../../../electron/workspace/export/spec'
import type { SockeyeHttpRequest } from '../../../electron/workspace/import/types'

function refusal(run: () => unknown): string {
  try {
    run()
  } catch (err) {
    expect(err).toBeInstanceOf(ImportError)
    const message = (err as Error).message
    expect(message).not.toContain('\n')
    return message
  }
  throw new Error('no refusal')
}

describe('hostile import files', () => {
  it('refuses a 50 MB file before decoding it', () => {
    const big = Buffer.alloc(50 * 1024 * 1024, 0x20)
    expect(refusal(() => importBytes(big, 'big.json'))).toBe(
      'big.json is larger than 32.0 MiB, the import limit; split it or trim bodies',
    )
  })

  it('refuses invalid UTF-8', () => {
    const bytes = Buffer.concat([
      Buffer.from('{"info": "'),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from('"}'),
    ])
    expect(refusal(() => importBytes(bytes, 'bad.json'))).toBe(
      'bad.json is not UTF-8 text; save it as UTF-8 and import again',
    )
  })

  it('stops a YAML alias bomb (billion laughs)', () => {
    let yaml = 'openapi: 3.0.0\npaths: {}\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n'
    for (let i = 1; i < 10; i++)
      yaml += `a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]\n`
    const started = performance.now()
    expect(refusal(() => importText(yaml, 'bomb.yaml'))).toMatch(
      /^bomb\.yaml is not YAML Sockeye can read \(Excessive alias count/,
    )
    expect(performance.now() - started).toBeLessThan(2000)
  })

  it('refuses JSON nested 100,000 deep in one line', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`
    expect(refusal(() => importText(deep, 'deep.json'))).toBe(
      'deep.json nests deeper than 200 levels; it is not a collection Sockeye can import',
    )
  })

  it('refuses YAML nested deeper than the limit', () => {
    let yaml = 'openapi: 3.0.0\npaths: {}\nx:\n'
    for (let i = 1; i < 300; i++) yaml += `${'  '.repeat(i)}k:\n`
    expect(refusal(() => importText(yaml, 'deep.yaml'))).toMatch(
      /^deep\.yaml (nests deeper than 200 levels|is not YAML)/,
    )
  })

  it('says what is wrong with broken JSON in one line', () => {
    expect(refusal(() => importText('{"info": ', 'cut.json'))).toMatch(/^cut\.json is not valid JSON \(/)
  })

  it('refuses a HAR without entries by naming what is missing', () => {
    expect(refusal(() => openHar({ log: {} }))).toBe(
      'not a HAR file: it has no log.entries (export HAR 1.2 from the browser or Sockeye)',
    )
  })

  it('keeps template-injection payloads as inert text from import to the request sent', () => {
    const payload = "{{constructor.constructor('return process')().exit()}}"
    const postman = {
      info: { name: 'x', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
      variable: [{ key: '__proto__', value: payload }],
      item: [
        {
          name: payload,
          request: {
            method: 'POST',
            url: `http://127.0.0.1/${payload}`,
            header: [{ key: 'X', value: payload }],
            body: { mode: 'raw', raw: payload },
          },
        },
      ],
    }
    const { collection } = importText(JSON.stringify(postman), 'p.json')
    const built = toSpec(collection.items?.[0] as SockeyeHttpRequest)
    expect(built.ok).toBe(true)
    if (!built.ok) return
    expect(built.spec.headers).toEqual([['X', payload]])
    expect(built.spec.body).toBe(payload)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(collection.request?.variables).toEqual([{ name: '__proto__', value: payload }])
  })

  it('refuses a curl command longer than 1 MiB', () => {
    expect(refusal(() => importText(`curl http://x/${'a'.repeat(1024 * 1024)}`, 'paste'))).toMatch(
      /^the curl command is \d+ characters; the limit is 1048576$/,
    )
  })
})
