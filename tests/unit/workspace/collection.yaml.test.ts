import { describe, expect, it } from 'vitest'
import { parseRequest } from '@usebruno/filestore'
import { parseYaml, stringifyYaml } from '../../../electron/workspace/collection'
import { yml } from '../../helpers/bruno'

describe('collection YAML', () => {
  it('round-trips values YAML would otherwise misread (booleans, nulls, numbers, comments, braces)', () => {
    const tricky = [
      'true',
      'no',
      'null',
      '~',
      '007',
      '1e3',
      '# not a comment',
      'a: b',
      '{{base}}/x',
      '  lead',
      'trail ',
      '- item',
      'line 1\nline 2\n',
      '',
      "it's",
      '"q"',
      '\t tab',
      'ünï €',
    ]
    const doc = {
      info: { name: 'T', type: 'http', seq: 1 },
      http: { method: 'GET', url: 'http://a', headers: tricky.map((value, i) => ({ name: `h${i}`, value })) },
    }
    const text = stringifyYaml(doc)
    const back = parseYaml(text)
    expect(back).toEqual({ ok: true, value: doc })
    // Bruno's parser agrees on every value.
    const bruno = parseRequest(text, yml)
    expect(bruno.request.headers.map((h: { value: string }) => h.value)).toEqual(tricky)
  })
})
