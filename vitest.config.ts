import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Outer limits against a hang, not expected durations: tests wait for conditions, and a busy
    // 2-core machine can be many times slower than an idle one. Hooks start real servers and processes.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
