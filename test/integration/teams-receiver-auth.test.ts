// Teams' requests with MICROSOFT_APP_ID set: botbuilder checks every token against the keys in the Bot
// Connector's OpenID metadata. The test publishes its own metadata and keys (node:crypto RSA, JWT RS256)
// and points botbuilder at them, then sends requests with no token, one signed by another key, one for
// another app id and a good one: only the good one is run.
import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { aRun } from '../support/plans.ts';
import type { Run, TeamRef } from '../../src/app/ports.ts';
import { planOf } from '../../src/app/run-plan.ts';
import { type RunningServer, startServer } from '../../src/compose/server.ts';
import { loadConfig } from '../../src/config.ts';
import { parseProgramme } from '../../src/programmes/load.ts';
import { RedisStore } from '../../src/store/redis/redis-store.ts';
import { memoryLogger } from '../support/fakes.ts';
import { countingRandom } from '../support/stores.ts';
import { cardAction, TEAMS_TEST_PROGRAMME } from '../support/teams-activities.ts';
import { deleteNamespace } from '../support/redis-server.ts';

const APP_ID = '00000000-aaaa-4bbb-8ccc-000000000001';
const ISSUER = 'https://api.botframework.com';
const KEY_ID = 'sparringsbot-test-key';
const TENANT = 'tenant-teams-auth';
const TEAM: TeamRef = { tenant: TENANT, team: '19:team-auth@thread.tacv2' };
// Never contacted: an invoke is answered in its HTTP response, and the run has no conversations to post to.
const SERVICE_URL = 'https://smba.trafficmanager.net/emea/';

const RUN: Run = aRun({
  team: TEAM,
  programmeId: 'teams-test',
  start: DateTime.utc().minus({ days: 21 }).toISODate()!,
  timeZone: 'UTC',
  members: [{ userId: '29:s1', roles: ['staff'] }],
});
const practice = planOf(RUN, parseProgramme(TEAMS_TEST_PROGRAMME, 'teams-test.yaml')).occurrences.find((o) => o.activityId === 'oevebane' && Date.parse(o.start) <= Date.now())!;

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** A JWT as the Bot Connector signs it: RS256, `kid` of a key in its metadata, the bot's app id as audience. */
function token(key: KeyObject, claims: Record<string, unknown> = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: KEY_ID }));
  const payload = base64url(JSON.stringify({ iss: ISSUER, aud: APP_ID, serviceurl: SERVICE_URL, nbf: now - 60, iat: now - 60, exp: now + 3600, ...claims }));
  const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(key);
  return `${header}.${payload}.${base64url(signature)}`;
}

/** The Bot Connector's OpenID metadata and its key set, with the test's public key. */
async function startOpenIdServer(publicKey: KeyObject): Promise<{ url: string; requests: () => string[]; server: Server }> {
  const jwk = publicKey.export({ format: 'jwk' });
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const { port } = server.address() as AddressInfo;
    const body =
      req.url === '/v1/.well-known/openidconfiguration'
        ? { issuer: ISSUER, jwks_uri: `http://127.0.0.1:${port}/v1/keys`, id_token_signing_alg_values_supported: ['RS256'], token_endpoint_auth_methods_supported: ['private_key_jwt'] }
        : req.url === '/v1/keys'
          ? { keys: [{ kty: 'RSA', use: 'sig', kid: KEY_ID, n: jwk.n, e: jwk.e, endorsements: ['msteams'] }] }
          : undefined;
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1/.well-known/openidconfiguration`, requests: () => [...requests], server };
}

describe('Teams with an app id: every request’s token is checked', () => {
  const namespace = `teams-auth-${process.pid}-${Date.now().toString(36)}`;
  const dir = mkdtempSync(join(tmpdir(), 'sparringsbot-teams-auth-'));
  const signing = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const logger = memoryLogger();
  let openId: Awaited<ReturnType<typeof startOpenIdServer>>;
  let store: RedisStore;
  let server: RunningServer;

  const click = () =>
    cardAction(
      '29:s1',
      'done',
      { card: 'practice-prompt', ref: { programmeId: 'teams-test', activityId: practice.activityId, occurrenceId: practice.id } },
      {},
      { serviceUrl: SERVICE_URL, tenant: TENANT },
    );
  async function post(authorization?: string) {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) };
    const response = await fetch(new URL('api/messages', server.url), { method: 'POST', headers, body: JSON.stringify(click()) });
    return { status: response.status, type: response.headers.get('content-type') ?? '', body: (await response.json()) as Record<string, unknown> };
  }

  beforeAll(async () => {
    openId = await startOpenIdServer(signing.publicKey);
    store = RedisStore.connect(inject('redisUrl'), countingRandom(), namespace);
    writeFileSync(join(dir, 'teams-test.yaml'), TEAMS_TEST_PROGRAMME);
    await store.saveRun(RUN);
    const env = {
      PORT: '0',
      HOST: '127.0.0.1',
      REDIS_URL: inject('redisUrl'),
      REDIS_NAMESPACE: namespace,
      PROGRAMMES_DIR: dir,
      MICROSOFT_APP_ID: APP_ID,
      MICROSOFT_APP_PASSWORD: 'not-a-real-password',
      ANONYMITY_SECRET: 'teams-auth-test-secret-0123456789abcdef',
      LOG_FORMAT: 'json',
    };
    server = await startServer(loadConfig(env), logger, { teamsOpenIdMetadataUrl: openId.url });
  });

  afterAll(async () => {
    await server?.stop();
    await store.close();
    openId.server.closeAllConnections();
    await new Promise((resolve) => openId.server.close(resolve));
    await deleteNamespace(inject('redisUrl'), namespace);
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['no token', () => undefined],
    ['a token signed by another key', () => `Bearer ${token(stranger.privateKey)}`],
    ['a token for another app id', () => `Bearer ${token(signing.privateKey, { aud: '00000000-aaaa-4bbb-8ccc-000000000002' })}`],
    ['a token from another issuer', () => `Bearer ${token(signing.privateKey, { iss: 'https://login.example.com' })}`],
    ['a token for another service URL', () => `Bearer ${token(signing.privateKey, { serviceurl: 'https://evil.example.com/' })}`],
    ['an expired token', () => `Bearer ${token(signing.privateKey, { nbf: 1_000, iat: 1_000, exp: 2_000 })}`],
  ])('refuses %s with 401 JSON, and changes nothing', async (_, authorization) => {
    const answer = await post(authorization());
    expect(answer).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
    expect(answer.type).toContain('application/json');
    expect(await store.namedReplies(TEAM, practice.id)).toEqual([]);
  });

  it('runs a request signed by the Bot Connector’s key for this app', async () => {
    const answer = await post(`Bearer ${token(signing.privateKey)}`);
    expect(answer).toMatchObject({ status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: { type: 'AdaptiveCard' } } });
    expect(JSON.stringify(answer.body)).toContain('Godt gået! Dagens øvebane er udført.');
    expect(await store.namedReplies(TEAM, practice.id)).toEqual([expect.objectContaining({ outcome: 'done', respondent: expect.objectContaining({ userId: '29:s1' }) })]);
    // botbuilder read the test's metadata and keys, not the public cloud's.
    expect(openId.requests()).toEqual(expect.arrayContaining(['/v1/.well-known/openidconfiguration', '/v1/keys']));
    expect(logger.entries.filter((e) => e.message === 'Teams request refused: not authenticated')).toHaveLength(6);
  });
});
