import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // *.long.ts files are the long fuzz tier's (npm run test:fuzz:long) only
    include: process.env.FUZZ_MODE === 'long' ? ['test/**/*.test.ts', 'test/**/*.long.ts'] : ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
