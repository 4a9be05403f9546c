import { spawn } from 'node:child_process'

/** The platform's "open this URL" command, as an argument array (never a shell string). */
export function openerFor(url: string, platform: NodeJS.Platform = process.platform): [string, string[]] {
  if (platform === 'darwin') return ['open', [url]]
  // `start` is a cmd built-in; the empty "" is its window title, so the URL is never taken for
  // one. Our URL is http://127.0.0.1:<port>/?token=<base64url>: no cmd metacharacters in it.
  if (platform === 'win32') return ['cmd', ['/c', 'start', '""', url]]
  return ['xdg-open', [url]]
}

/**
 * Open `url` in the default browser. Never throws: when no opener exists or it fails (a server,
 * a container, no browser installed) `note` gets one line and the printed URL remains the way in.
 */
export function openInBrowser(
  url: string,
  note: (line: string) => void,
  [command, args]: [string, string[]] = openerFor(url),
): void {
  let noted = false
  const fail = () => {
    if (noted) return
    noted = true
    note(`sockeye: could not open a browser (${command} failed); open the URL above yourself`)
  }
  try {
    const child = spawn(command, args, {
      detached: true,
      stdio: 'ignore',
      windowsVerbatimArguments: process.platform === 'win32',
    })
    child.on('error', fail)
    // xdg-open exits non-zero (3, 4) when it finds no browser; open(1) does the same on macOS.
    child.on('exit', (code) => {
      if (code !== 0 && code !== null) fail()
    })
    child.unref()
  } catch {
    fail()
  }
}
