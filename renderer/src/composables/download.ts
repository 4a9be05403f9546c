/** Save text as a file through a blob: URL (no server round trip, works in Electron and browsers). */
export function downloadText(name: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.click()
  // The click starts the download synchronously; revoke on the next turn.
  setTimeout(() => URL.revokeObjectURL(url), 0)
}
