// A delivery loop loads the card templating package when it starts, not on the first card it renders: the
// first fan-out after a start would otherwise stall every send in flight for the load (half a second of CPU
// cold, seconds on a busy machine). Run in a fresh process, where nothing else has loaded the package.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');

/** A loop over an empty outbox; prints whether the templating package was loaded at its start and at its second pass. */
const CHILD = `
import { createRequire } from 'node:module';
import { startDelivery } from './src/delivery/loop.ts';
const require = createRequire(import.meta.url);
const templating = require.resolve('adaptivecards-templating');
let passes = 0;
let second;
const secondPass = new Promise((resolve) => (second = resolve));
const outbox = {
  take: async () => {
    if (++passes === 2) second(templating in require.cache);
    return [];
  },
  nextDue: async () => undefined,
};
const loop = startDelivery({ outbox, limiter: {}, store: {}, channels: {}, clock: { now: () => new Date() }, random: { id: () => '1', next: Math.random }, logger: { info() {}, warn() {}, error() {} } });
const atStart = templating in require.cache;
const atSecondPass = await secondPass;
await loop.stop();
process.stdout.write(JSON.stringify({ atStart, atSecondPass }));
`;

describe('a delivery loop at start', () => {
  it('has the card templating package loaded by its second pass (a second after the first), not only at its first card', () => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD], { cwd: ROOT, encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual({ atStart: false, atSecondPass: true });
  });
});
