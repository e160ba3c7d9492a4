// Tenant isolation at the playground's entry point (/playground/api, the server as `npm start` runs it with no
// platform channel, on Redis): beside the demo team, team B of another tenant in the same store. Whatever a
// request names (B's people as `as`, B's team or tenant in the query, B's occurrence in a click, B's ids as a
// command's arguments, a key too many in the body), the playground acts for the demo team only: B's keys are the
// same after as before, and nothing of B's is in any answer.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { TeamRef } from '../../src/app/ports.ts';
import { DEMO_MEMBERS } from '../../src/channels/local/demo.ts';
import { type RunningServer, startServer } from '../../src/compose/server.ts';
import { loadConfig } from '../../src/config.ts';
import { parseProgramme } from '../../src/programmes/load.ts';
import { RedisStore } from '../../src/store/redis/redis-store.ts';
import { memoryLogger } from '../support/fakes.ts';
import { cardKind, type TeamData, teamData } from '../support/fuzz.ts';
import { partOf, seedTheirs, THEIR_NOTE, THEIR_PLAN, twoTeams } from '../support/isolation.ts';
import { deleteNamespace } from '../support/redis-server.ts';
import { countingRandom } from '../support/stores.ts';
import { TEAMS_TEST_PROGRAMME } from '../support/teams-activities.ts';

const B: TeamRef = { tenant: 'tenant-iso-b', team: '19:iso-b@thread.tacv2' };
const programme = parseProgramme(TEAMS_TEST_PROGRAMME, 'teams-test.yaml');
// B's people: one with an id of B's own, one with the id of the demo's first staff member.
const teams = twoTeams(
  programme,
  { a: { tenant: 'unused', team: 'unused' }, b: B },
  {
    a: [{ userId: 'x', roles: ['leader'] }],
    b: [
      { userId: 'b-leder', name: 'Bodil', roles: ['leader'] },
      { userId: 's1', name: 'Bodil igen', roles: ['staff'] },
    ],
  },
);

describe('playground: requests reach the demo team only, never another team in the same store', () => {
  const namespace = `iso-playground-${process.pid}-${Date.now().toString(36)}`;
  const dir = mkdtempSync(join(tmpdir(), 'sparringsbot-iso-playground-'));
  const logger = memoryLogger();
  let server: RunningServer;
  let store: RedisStore;
  let data: TeamData;
  let theirsBefore: Record<string, string>;

  beforeAll(async () => {
    store = RedisStore.connect(inject('redisUrl'), countingRandom(), namespace);
    data = teamData(inject('redisUrl'), namespace);
    await seedTheirs(store, teams, 'local');
    writeFileSync(join(dir, 'teams-test.yaml'), TEAMS_TEST_PROGRAMME);
    server = await startServer(
      loadConfig({ PORT: '0', HOST: '127.0.0.1', REDIS_URL: inject('redisUrl'), REDIS_NAMESPACE: namespace, PROGRAMMES_DIR: dir, DEMO_START: '2026-08-10', RETENTION_DAYS: '0', LOG_FORMAT: 'json' }),
      logger,
    );
    theirsBefore = partOf(await data.digest(), B);
    expect(Object.keys(theirsBefore).length).toBeGreaterThan(5);
  });

  afterAll(async () => {
    await server?.stop();
    await store?.close();
    await data?.close();
    await deleteNamespace(inject('redisUrl'), namespace);
    rmSync(dir, { recursive: true, force: true });
  });

  async function api(path: string, body?: unknown): Promise<{ status: number; text: string }> {
    const response = await fetch(
      new URL(`playground/api/${path}`, server.url),
      body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    );
    return { status: response.status, text: await response.text() };
  }
  async function expectBUnchanged(answer: string) {
    expect(partOf(await data.digest(), B)).toEqual(theirsBefore);
    expect(answer).not.toContain(THEIR_NOTE);
    expect(answer).not.toContain(THEIR_PLAN);
    expect(answer).not.toContain('Bodil');
  }

  it('refuses B’s people as `as`, for the state, a command and a click', async () => {
    for (const answer of [
      await api('state?as=b-leder'),
      await api('command', { as: 'b-leder', text: 'status' }),
      await api('action', {
        as: 'b-leder',
        messageId: 'm',
        verb: 'done',
        data: { card: 'practice-prompt', ref: { programmeId: programme.id, activityId: 'oevebane', occurrenceId: teams.shared.id } },
        inputs: {},
      }),
    ]) {
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.text)).toMatchObject({ error: { code: 'badPayload' } });
      await expectBUnchanged(answer.text);
    }
  });

  it('answers the demo’s state whatever team, tenant or person the query also names; a person of both is the demo’s', async () => {
    const query = new URLSearchParams({ as: 's1', team: B.team, tenant: B.tenant, userId: 'b-leder', programme: programme.id });
    const answer = await api(`state?${query}`);
    expect(answer.status).toBe(200);
    const state = JSON.parse(answer.text) as { me: { userId: string; name: string; roles: string[] }; members: Array<{ userId: string }> };
    expect(state.me).toEqual({ userId: 's1', name: 'Søren', roles: ['staff'] });
    expect(state.members.map((m) => m.userId)).toEqual(DEMO_MEMBERS.map((m) => m.userId));
    await expectBUnchanged(answer.text);
  });

  it('refuses a body that names B’s team beside the fields it takes', async () => {
    for (const [path, body] of [
      ['command', { as: 'leder', text: 'agenda', team: B }],
      ['command', { as: 'leder', text: 'agenda', tenant: B.tenant }],
      ['locale', { as: 'leder', locale: 'en', team: B.team }],
      ['clock', { as: 'leder', step: 'day', team: B.team }],
    ] as const) {
      const answer = await api(path, body);
      expect(answer.status, path).toBe(400);
      await expectBUnchanged(answer.text);
    }
  });

  it('refuses a click with B’s occurrence and programme, and a command with B’s ids for arguments', async () => {
    const click = await api('action', {
      as: 's1',
      messageId: 'm',
      verb: 'done',
      data: { card: 'practice-prompt', ref: { programmeId: programme.id, activityId: 'oevebane', occurrenceId: teams.shared.id } },
      inputs: { note: 'Til B?' },
    });
    expect(click.status).toBe(200);
    expect(cardKind(JSON.stringify((JSON.parse(click.text) as { card: unknown }).card))).toBe('error');
    await expectBUnchanged(click.text);
    for (const text of [`role b-leder staff`, `role s1 leader`, `reminders ${B.team}`, `calendar flyt ${teams.shared.id} 2026-01-01`]) {
      const answer = await api('command', { as: 's1', text });
      expect(answer.status, text).toBe(200);
      expect(cardKind(JSON.stringify((JSON.parse(answer.text) as { reply: { card: unknown } }).reply.card)), text).toBe('error');
      await expectBUnchanged(answer.text);
    }
  });

  it('writes what the demo’s leader does to the demo team, none of it to B', async () => {
    for (const text of ['agenda', 'reminders off', 'role s1 leader']) {
      const answer = await api('command', { as: 'leder', text });
      expect(answer.status, text).toBe(200);
      expect(cardKind(JSON.stringify((JSON.parse(answer.text) as { reply: { card: unknown } }).reply.card)), text).toBe('card');
      await expectBUnchanged(answer.text);
    }
    expect((await store.getRun(B))?.members.find((m) => m.userId === 's1')?.roles).toEqual(['staff']);
  });
});
