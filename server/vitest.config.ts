import { defineConfig } from 'vitest/config'

// One database per test file (see test/db.ts); forks keep better-sqlite3 and mysql2 pools per file.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000
  }
})
