// Placeholder: the Electron main process is built in issue #4.
export {}
