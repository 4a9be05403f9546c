import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import vue from '@vitejs/plugin-vue'

// One build for three runtimes. `main` also bundles the headless CLI (with the browser-mode
// server) and the bare engine: plain Node entries that share the engine chunk with the Electron main.
export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'electron/main/index.ts'),
          cli: resolve(__dirname, 'electron/cli/index.ts'),
          // The engine alone, for `npm run bench` (plain Node, no Electron).
          engine: resolve(__dirname, 'electron/engine/index.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'electron/preload/index.ts') },
        // Sandboxed preloads must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    resolve: { alias: { '@contract': resolve(__dirname, 'electron/contract') } },
    build: {
      // electron-vite leaves the renderer unminified; the JSON viewer (codemirror) is ~0.9 MB raw.
      // SOCKEYE_MINIFY=0 keeps names for a benchmark's --profile.
      minify: process.env.SOCKEYE_MINIFY !== '0',
      rollupOptions: { input: resolve(__dirname, 'renderer/index.html') },
    },
    plugins: [vue()],
  },
})
