import { configDefaults, defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'
import { resolve } from 'node:path'

export default defineConfig({
  plugins: [vue()],
  resolve: { alias: { '@contract': resolve(__dirname, 'electron/contract') } },
  test: {
    include: ['tests/**/*.test.ts'],
    // Conformance scenarios that still disagree with a real server's log wait there for the engine
    // (run them with `npx vitest run -c tests/conformance/pending/vitest.config.ts`).
    exclude: [...configDefaults.exclude, 'tests/conformance/pending/**'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Integration and e2e tests start real loopback servers and a real browser: keep them
    // from competing for the two cores.
    fileParallelism: false,
  },
})
