import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Property tests over whole programme timelines take a few seconds on a 2-core machine.
    testTimeout: 30_000,
  },
});
