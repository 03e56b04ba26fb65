import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Contract suites (*.case.ts) are imported by the tests that run them, never collected alone.
    exclude: ['**/node_modules/**', 'dist/**', '**/*.case.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
