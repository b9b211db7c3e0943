import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 10_000 } },
      // Integration tests spawn the committed bundle and talk to local servers over real HTTP.
      { test: { name: 'integration', include: ['test/integration/**/*.itg.test.ts'], testTimeout: 60_000 } },
    ],
  },
})
