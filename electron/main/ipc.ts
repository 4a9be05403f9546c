import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron'
import { CALL_NAMES, EVENTS_CHANNEL, ipcChannel, type CallResult } from '../contract'
import type { Host } from '../host/host'
import { forbiddenSender, isTrustedSender } from './policy'

/** Facts about an IPC sender, read defensively: `senderFrame` is null once the frame is gone. */
function senderFacts(event: IpcMainInvokeEvent, win: BrowserWindow | null) {
  const frame = event.senderFrame
  const ours = win !== null && !win.isDestroyed() && event.sender === win.webContents
  const main = ours ? win.webContents.mainFrame : null
  return {
    fromOurWindow: ours,
    isMainFrame:
      frame !== null &&
      main !== null &&
      frame.processId === main.processId &&
      frame.routingId === main.routingId,
    frameUrl: frame?.url ?? null,
  }
}

/**
 * One `ipcMain.handle` per contract call. Each checks the sender (our window's top frame showing
 * the app), then hands name and raw input to the host, which validates the input against the
 * contract's schema and answers with a CallResult: nothing here throws across IPC.
 * Returns a function that removes the handlers.
 */
export function registerIpc(
  host: Host,
  getWindow: () => BrowserWindow | null,
  appUrl: () => string,
): () => void {
  for (const name of CALL_NAMES) {
    ipcMain.handle(
      ipcChannel(name),
      (event, input: unknown): Promise<CallResult<unknown>> | CallResult<never> => {
        if (!isTrustedSender(senderFacts(event, getWindow()), appUrl())) {
          return { ok: false, error: forbiddenSender(name) }
        }
        return host.call(name, input)
      },
    )
  }
  return () => {
    for (const name of CALL_NAMES) ipcMain.removeHandler(ipcChannel(name))
  }
}

/** Forward the host's batched events to the window (dropped while no window is open). */
export function forwardEvents(host: Host, getWindow: () => BrowserWindow | null): () => void {
  return host.onEvents((events) => {
    const win = getWindow()
    if (win && !win.isDestroyed()) win.webContents.send(EVENTS_CHANNEL, events)
  })
}
