import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, platformChannels, playgroundOn } from '../../src/config.ts';
import { DEFAULT_DELIVERY } from '../../src/delivery/deliver.ts';

const EXAMPLE = readFileSync(join(import.meta.dirname, '../../.env.example'), 'utf8');
const exampleValues = Object.fromEntries([...EXAMPLE.matchAll(/^([A-Z_]+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
const problemOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    return (error as Error).message;
  }
  return '';
};

describe('configuration', () => {
  it('runs with no variables at all: port 3978, no Redis', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3978);
    expect(config.REDIS_URL).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names every bad variable in one message', () => {
    const attempt = () => loadConfig({ PORT: 'eighty', REDIS_URL: 'http://localhost:6379', LOG_LEVEL: 'loud' });
    expect(attempt).toThrow(ConfigError);
    const message = (() => {
      try {
        attempt();
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();
    for (const name of ['PORT', 'REDIS_URL', 'LOG_LEVEL']) expect(message).toContain(name);
    expect(message.split('\n')).toHaveLength(1);
  });

  it('takes a delivery lease of at least 10 s, a minute by default, and names one too short', () => {
    expect(loadConfig({}).DELIVERY_LEASE_MS).toBe(60_000);
    expect(loadConfig({ DELIVERY_LEASE_MS: '15000' }).DELIVERY_LEASE_MS).toBe(15_000);
    expect(problemOf({ DELIVERY_LEASE_MS: '2000' })).toMatch(/DELIVERY_LEASE_MS.*10000/);
  });

  it('sends as many cards at once as delivery does by default, and as few as one when asked (at most one sent twice per crash)', () => {
    expect(loadConfig({}).DELIVERY_CONCURRENCY).toBe(DEFAULT_DELIVERY.concurrency);
    expect(loadConfig({ DELIVERY_CONCURRENCY: '1' }).DELIVERY_CONCURRENCY).toBe(1);
    expect(problemOf({ DELIVERY_CONCURRENCY: '0' })).toMatch(/DELIVERY_CONCURRENCY/);
    expect(problemOf({ DELIVERY_CONCURRENCY: 'many' })).toMatch(/DELIVERY_CONCURRENCY/);
  });

  it('accepts a Redis URL and treats an empty one as unset, as .env.example ships it', () => {
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379/2' }).REDIS_URL).toBe('redis://127.0.0.1:6379/2');
    expect(loadConfig({ REDIS_URL: '' }).REDIS_URL).toBeUndefined();
  });

  it('runs with .env.example copied as it ships, and documents every variable it reads', () => {
    expect(() => loadConfig(exampleValues)).not.toThrow();
    const read = [...readFileSync(join(import.meta.dirname, '../../src/config.ts'), 'utf8').matchAll(/^ {4}([A-Z_]+): /gm)].map((m) => m[1]!);
    expect(read.length).toBeGreaterThan(10);
    const documented = new Set([...EXAMPLE.matchAll(/^#? ?([A-Z_]+)=/gm)].map((m) => m[1]!));
    expect(read.filter((name) => !documented.has(name))).toEqual([]);
  });

  it('turns channels on from what is set: the playground alone by default, Teams with its app id', () => {
    expect(platformChannels(loadConfig({}))).toEqual([]);
    expect(playgroundOn(loadConfig({}))).toBe(true);
    const teams = loadConfig({ MICROSOFT_APP_ID: 'app', MICROSOFT_APP_PASSWORD: 'secret' });
    expect(platformChannels(teams)).toEqual(['teams']);
    expect(playgroundOn(teams)).toBe(false);
    expect(playgroundOn(loadConfig({ TEAMS_AUTH_DISABLED: 'true', PLAYGROUND: 'true' }))).toBe(true);
    expect(playgroundOn(loadConfig({ PLAYGROUND: 'false' }))).toBe(false);
  });

  it('names a setting that needs another: a mail server needs a sender, Teams a password, a single tenant its id', () => {
    expect(problemOf({ SMTP_URL: 'smtp://mail.example.org:587' })).toContain('MAIL_FROM');
    expect(problemOf({ MICROSOFT_APP_ID: 'app' })).toContain('MICROSOFT_APP_PASSWORD');
    expect(problemOf({ MICROSOFT_APP_ID: 'app', MICROSOFT_APP_PASSWORD: 'x', MICROSOFT_APP_TYPE: 'SingleTenant' })).toContain('MICROSOFT_APP_TENANT_ID');
    expect(problemOf({ PLAYGROUND: 'yes', SMTP_URL: 'http://mail' })).toMatch(/PLAYGROUND: must be true or false.*SMTP_URL/);
  });

  it('splits web and worker processes only over Redis, and never with the playground', () => {
    expect(loadConfig({}).PROCESS_ROLE).toBe('all');
    expect(problemOf({ PROCESS_ROLE: 'web' })).toMatch(/REDIS_URL: needed with PROCESS_ROLE=web/);
    expect(problemOf({ PROCESS_ROLE: 'worker', REDIS_URL: 'redis://127.0.0.1:6379', PLAYGROUND: 'true' })).toMatch(/PLAYGROUND: cannot be true with PROCESS_ROLE=worker/);
    expect(problemOf({ PROCESS_ROLE: 'both' })).toContain('PROCESS_ROLE');
    const web = loadConfig({ PROCESS_ROLE: 'web', REDIS_URL: 'redis://127.0.0.1:6379', SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxb-1' });
    expect(playgroundOn(web)).toBe(false);
  });

  it('takes a Redis Cluster as host:port pairs, and names a malformed one or one set beside REDIS_URL', () => {
    expect(loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:6379, redis-2.internal:7000,[::1]:6380' }).REDIS_CLUSTER_NODES).toEqual([
      { host: '10.0.0.1', port: 6379 },
      { host: 'redis-2.internal', port: 7000 },
      { host: '::1', port: 6380 },
    ]);
    expect(loadConfig({ REDIS_CLUSTER_NODES: '' }).REDIS_CLUSTER_NODES).toBeUndefined();
    for (const bad of ['10.0.0.1', '10.0.0.1:6379,', 'redis://10.0.0.1:6379', '10.0.0.1:70000', '10.0.0.1:6379;10.0.0.2:6379']) {
      expect(problemOf({ REDIS_CLUSTER_NODES: bad })).toMatch(/REDIS_CLUSTER_NODES: must be host:port pairs separated by commas/);
    }
    expect(problemOf({ REDIS_CLUSTER_NODES: '10.0.0.1:6379,10.0.0.2' })).toContain('not understood: "10.0.0.2"');
    expect(problemOf({ REDIS_CLUSTER_NODES: '10.0.0.1:6379', REDIS_URL: 'redis://127.0.0.1:6379' })).toMatch(/REDIS_CLUSTER_NODES: set REDIS_URL .* or REDIS_CLUSTER_NODES .*, not both/);
    // A cluster is Redis enough for separate web and worker processes.
    expect(loadConfig({ PROCESS_ROLE: 'worker', REDIS_CLUSTER_NODES: '10.0.0.1:6379' }).PROCESS_ROLE).toBe('worker');
  });
});
