// A Redis that goes away while people click: the click is answered in time with "try again" (never a false
// "thank you"), nothing is half stored, and the same click once Redis is back stores the answer once. And a
// Redis without its append-only file is named at start-up.
import { afterEach, expect, it } from 'vitest';
import { handleCardAction } from '../../src/app/actions/handle-card-action.ts';
import { runCommand } from '../../src/app/commands/run-command.ts';
import type { AppDeps } from '../../src/app/context.ts';
import type { Run, TeamRef } from '../../src/app/ports.ts';
import { MemoryOutbox } from '../../src/store/embedded/memory-delivery.ts';
import { warnUnlessPersistent } from '../../src/store/redis/persistence-check.ts';
import { RedisStore } from '../../src/store/redis/redis-store.ts';
import { fakeClock, memoryLogger } from '../support/fakes.ts';
import { aRun, tinyProgramme } from '../support/plans.ts';
import { removeServerFolder, type RedisServer, startRedisServer } from '../support/redis-server.ts';
import { countingRandom } from '../support/stores.ts';
import { waitFor } from '../support/wait-for.ts';

const TEAM: TeamRef = { tenant: 'tenant-outage', team: 'team-outage' };
const programme = tinyProgramme([
  {
    id: 'refleksion',
    kind: 'reflectionPrompt',
    windowDays: 7,
    timing: { type: 'offset', days: 0, time: '09:00' },
    questions: [{ id: 'laert', text: { da: 'Hvad lærte du?', sv: 'Vad lärde du dig?', en: 'What did you learn?' } }],
  },
]);
const RUN: Run = aRun({ team: TEAM, programmeId: 'tiny', start: '2026-09-07', members: [{ userId: 'anna', roles: ['staff'] }] });
const click = {
  verb: 'answer',
  data: { card: 'reflection-prompt', ref: { programmeId: 'tiny', activityId: 'refleksion', occurrenceId: 'refleksion' } },
  inputs: { 'answer:laert': 'At vente på svaret' },
};
const anna = { team: TEAM, user: { userId: 'anna', platform: 'teams' as const, platformUserId: 'anna' } };

let redis: RedisServer | undefined;
let store: RedisStore | undefined;
afterEach(async () => {
  await store?.close();
  await redis?.stop().catch(() => {});
  if (redis) removeServerFolder(redis);
});

it('answers a click while Redis is away with "try again", and the click again once it is back stores the answer once', async () => {
  redis = await startRedisServer({ aof: true });
  store = RedisStore.connect(redis.url, countingRandom(), 'outage', undefined, { commandTimeoutMs: 300 });
  const logger = memoryLogger();
  const deps: AppDeps = { store, outbox: new MemoryOutbox(), programmes: new Map([['tiny', programme]]), clock: fakeClock('2026-09-07T10:00:00Z'), random: countingRandom(), logger, canMail: false };
  await store.saveRun(RUN);
  const { port, dir } = redis;
  await redis.stop();

  expect(await handleCardAction(deps, anna, click)).toEqual({ card: 'error', data: { code: 'tryAgain', choices: [] } });
  expect(await runCommand(deps, anna, '/sparring status')).toEqual({ card: 'error', data: { code: 'tryAgain', choices: [] } });
  // Logged without the person or the answer.
  const failures = logger.entries.filter((e) => e.message.includes('try again'));
  expect(failures).toHaveLength(2);
  expect(JSON.stringify(failures)).not.toMatch(/anna|At vente/);

  redis = await startRedisServer({ aof: true, port, dir });
  await waitFor(() => store!.reachable(), { what: 'the store to reconnect' });
  expect(await handleCardAction(deps, anna, click)).toMatchObject({ card: 'answered', data: { outcome: 'answered' } });
  expect(await handleCardAction(deps, anna, click)).toMatchObject({ card: 'answered' });
  expect((await store.namedReplies(TEAM, 'refleksion')).map((r) => r.values)).toEqual([{ laert: 'At vente på svaret' }]);
});

it('warns once, in plain words, when Redis keeps no append-only file, and not when it does', async () => {
  const plain = await startRedisServer();
  const withAof = await startRedisServer({ aof: true });
  try {
    const logger = memoryLogger();
    expect(await warnUnlessPersistent(plain.url, logger)).toBe('notPersistent');
    expect(await warnUnlessPersistent(withAof.url, logger)).toBe('aof');
    expect(logger.entries.filter((e) => e.level === 'warn').map((e) => e.message)).toEqual([expect.stringContaining('appendonly yes')]);
  } finally {
    for (const server of [plain, withAof]) {
      await server.stop();
      removeServerFolder(server);
    }
  }
});
