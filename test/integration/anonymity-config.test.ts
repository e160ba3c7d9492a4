// ANONYMITY_SECRET: the key of the anonymous markers. Production (a platform channel on) does not start
// without one; the playground and local tests run on a fixed development key.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anonymitySecret, ConfigError, DEVELOPMENT_ANONYMITY_SECRET, loadConfig } from '../../src/config.ts';

const SECRET = 'f'.repeat(64);
const messageOf = (act: () => unknown) => {
  try {
    act();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  return '';
};

describe('ANONYMITY_SECRET', () => {
  it('is needed with a platform channel on, and the refusal is one line that names it', () => {
    const teams = loadConfig({ MICROSOFT_APP_ID: 'app', MICROSOFT_APP_PASSWORD: 'password' });
    const message = messageOf(() => anonymitySecret(teams));
    expect(message).toContain('ANONYMITY_SECRET');
    expect(message).toContain('openssl rand -hex 32');
    expect(message.split('\n')).toHaveLength(1);
    expect(anonymitySecret(loadConfig({ MICROSOFT_APP_ID: 'app', MICROSOFT_APP_PASSWORD: 'password', ANONYMITY_SECRET: SECRET }))).toBe(SECRET);
  });

  it('is at least 32 characters', () => {
    expect(messageOf(() => loadConfig({ ANONYMITY_SECRET: 'short' }))).toMatch(/ANONYMITY_SECRET: at least 32 characters/);
  });

  it('falls back to the fixed development key in the playground and with Teams authentication off', () => {
    expect(anonymitySecret(loadConfig({}))).toBe(DEVELOPMENT_ANONYMITY_SECRET);
    expect(anonymitySecret(loadConfig({ TEAMS_AUTH_DISABLED: 'true' }))).toBe(DEVELOPMENT_ANONYMITY_SECRET);
    expect(anonymitySecret(loadConfig({ ANONYMITY_SECRET: SECRET }))).toBe(SECRET);
  });

  it('is documented in .env.example with how to make one and what losing it costs', () => {
    const example = readFileSync(join(import.meta.dirname, '../../.env.example'), 'utf8');
    const block = example.slice(0, example.indexOf('ANONYMITY_SECRET=')).split('\n\n').at(-1)!;
    expect(block).toContain('openssl rand -hex 32');
    expect(block).toMatch(/losing or changing it/i);
  });
});
