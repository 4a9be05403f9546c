import { describe, expect, it } from 'vitest'
import { openerFor, openInBrowser } from '../../electron/serve/open'

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

describe('browser mode --open failure', () => {
  const noted = (opener: [string, string[]]) =>
    new Promise<string[]>((resolve) => {
      const lines: string[] = []
      openInBrowser(
        URL_WITH_TOKEN,
        (line) => {
          lines.push(line)
          resolve(lines)
        },
        opener,
      )
    })

  it('notes in one line when the opener does not exist', async () => {
    const lines = await noted(['/nonexistent/sockeye-opener', [URL_WITH_TOKEN]])
    expect(lines).toEqual([
      'sockeye: could not open a browser (/nonexistent/sockeye-opener failed); open the URL above yourself',
    ])
  })

  it('notes in one line when the opener exits with an error', async () => {
    const lines = await noted([process.execPath, ['-e', 'process.exit(3)']])
    expect(lines).toHaveLength(1)
  })
})
