import { describe, expect, it } from 'vitest'
import { openerFor } from '../../electron/serve/open'

const URL_WITH_TOKEN = 'http://127.0.0.1:5178/?token=abc_DEF-123'

describe('browser mode --open', () => {
  it.each([
    ['linux', 'xdg-open', [URL_WITH_TOKEN]],
    ['darwin', 'open', [URL_WITH_TOKEN]],
    ['win32', 'cmd', ['/c', 'start', '""', URL_WITH_TOKEN]],
  ] as const)(
    'on %s runs %s with the URL as one argument, never through a shell string',
    (platform, command, args) => {
      expect(openerFor(URL_WITH_TOKEN, platform)).toEqual([command, args])
    },
  )
})
