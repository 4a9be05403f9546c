// Placeholder: the contextBridge preload is built in issue #4.
export {}
