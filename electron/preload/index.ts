import { contextBridge, ipcRenderer } from 'electron'
import { createSockeyeApi } from './bridge'

// Sandboxed preload: bundled to CommonJS and may require nothing but `electron`. Only the typed
// API crosses into the page; `ipcRenderer` itself is never exposed (Electron checklist item 20).
contextBridge.exposeInMainWorld('sockeye', createSockeyeApi(ipcRenderer))
