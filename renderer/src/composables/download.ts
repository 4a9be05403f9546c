import type { RendererApi } from '../api/current'

/** Save text as a file through a blob: URL (no server round trip, works in Electron and browsers). */
export function downloadText(name: string, text: string | string[], type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob(typeof text === 'string' ? [text] : text, { type }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.click()
  // The click starts the download synchronously; revoke on the next turn.
  setTimeout(() => URL.revokeObjectURL(url), 0)
}

/** The HAR export, slice by slice (each answer ~1 MiB), as the parts of one file. */
export async function readHar(api: Pick<RendererApi, 'exportHar'>): Promise<string[]> {
  const parts: string[] = []
  let offset = 0
  for (;;) {
    const out = await api.exportHar(offset === 0 ? {} : { offset })
    parts.push(out.har)
    offset = out.offset + out.har.length
    if (offset >= out.total || out.har.length === 0) return parts
  }
}
