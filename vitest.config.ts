import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';

export default defineConfig({
  plugins: [vue()],
  test: {
    environment: 'node',
    pool: 'forks',
    // The JSON report lets .ci/run print a plain "N passed, N failed" line.
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'default', include: ['tests/**/*.test.ts', 'src/**/*.test.ts'] } },
      // The bridge suite a second time through the real `odbc` package and unixODBC's SQLite
      // driver (installed by `pretest`, scripts/ensure-odbc.mjs).
      { extends: true, test: { name: 'bridge-odbc', include: ['tests/bridge/**/*.test.ts'], env: { OPTIGEM_BRIDGE_TEST_STORE: 'odbc' } } },
    ],
  },
});
