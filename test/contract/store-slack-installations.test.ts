// Slack installations (OAuth, one per workspace) on Redis and the embedded store: kept, replaced,
// deleted, found again after a restart, and the installer exported without the tokens and erasable.
import { expect, it } from 'vitest';
import type { SlackInstallationRecord, TeamRef } from '../../src/app/ports.ts';
import { erasePerson, exportPerson } from '../../src/cli/commands/person-data.ts';
import { eachStore } from './store-fixtures.ts';

const BOT_TOKEN = 'xoxb-bot-token-4f2a';
const USER_TOKEN = 'xoxp-user-token-9c1e';
/** A run in a channel of the installed workspace. */
const TEAM: TeamRef = { tenant: 'T0WORKSPACE', team: 'C0CHANNEL' };

function installation(overrides: Partial<SlackInstallationRecord> = {}): SlackInstallationRecord {
  return {
    key: 'T0WORKSPACE',
    installation: {
      team: { id: 'T0WORKSPACE', name: 'Skole Syd' },
      enterprise: undefined,
      user: { id: 'U0ANNA', token: USER_TOKEN, scopes: ['users:read'] },
      bot: { id: 'B0BOT', userId: 'U0BOT', token: BOT_TOKEN, scopes: ['chat:write', 'im:write'] },
      tokenType: 'bot',
      isEnterpriseInstall: false,
      appId: 'A0APP',
    },
    installedBy: 'U0ANNA',
    installedAt: '2026-11-02T09:00:00.000Z',
    ...overrides,
  };
}

/** The installation as JSON gives it back: `undefined` fields are not kept. */
const stored = (record: SlackInstallationRecord) => JSON.parse(JSON.stringify(record)) as SlackInstallationRecord;

eachStore('Slack installations', (subject) => {
  it('keeps an installation by its key and deletes it', async () => {
    const { store } = subject();
    await store.saveSlackInstallation(installation());
    expect(await store.getSlackInstallation('T0WORKSPACE')).toEqual(stored(installation()));
    expect(await store.deleteSlackInstallation('T0WORKSPACE')).toBe(true);
    expect(await store.getSlackInstallation('T0WORKSPACE')).toBeUndefined();
    expect(await store.deleteSlackInstallation('T0WORKSPACE')).toBe(false);
  });

  it('replaces the installation of the same key, and keeps others apart', async () => {
    const { store } = subject();
    await store.saveSlackInstallation(installation());
    await store.saveSlackInstallation(installation({ key: 'E0ORG', installedBy: 'U0BO' }));
    const again = installation({ installation: { bot: { token: 'xoxb-new' } }, installedBy: 'U0BO', installedAt: '2026-11-03T09:00:00.000Z' });
    await store.saveSlackInstallation(again);
    expect(await store.getSlackInstallation('T0WORKSPACE')).toEqual(again);
    expect((await store.getSlackInstallation('E0ORG'))?.key).toBe('E0ORG');
  });

  it('gives nothing for an unknown key', async () => {
    const { store } = subject();
    await store.saveSlackInstallation(installation());
    expect(await store.getSlackInstallation('T0UNKNOWN')).toBeUndefined();
    expect(await store.getSlackInstallation('t0workspace')).toBeUndefined();
  });

  it('still has it after a restart', async () => {
    await subject().store.saveSlackInstallation(installation());
    expect(await subject().reopen().getSlackInstallation('T0WORKSPACE')).toEqual(stored(installation()));
  });

  it('exports the installer of the team’s workspace, without the installation and its tokens', async () => {
    const { store } = subject();
    await store.saveSlackInstallation(installation());
    await store.saveSlackInstallation(installation({ key: 'T0OTHER', installedAt: '2026-11-04T09:00:00.000Z' }));
    const data = await exportPerson(store, TEAM, 'U0ANNA');
    expect(data['slackInstallations']).toEqual([{ key: 'T0WORKSPACE', installedBy: 'U0ANNA', installedAt: '2026-11-02T09:00:00.000Z' }]);
    const text = JSON.stringify(data);
    expect(text).not.toContain(BOT_TOKEN);
    expect(text).not.toContain(USER_TOKEN);
    expect((await exportPerson(store, TEAM, 'U0BO'))['slackInstallations']).toEqual([]);
  });

  it('erases the installer and their user token, and keeps the bot token so the workspace keeps working', async () => {
    const { store } = subject();
    await store.saveSlackInstallation(installation());
    expect(Object.fromEntries(await erasePerson(store, TEAM, 'U0BO'))).toMatchObject({ slackInstallations: 0 });
    expect(Object.fromEntries(await erasePerson(store, TEAM, 'U0ANNA'))).toMatchObject({ slackInstallations: 1 });

    const after = await subject().reopen().getSlackInstallation('T0WORKSPACE');
    expect(after).toBeDefined();
    expect(after).not.toHaveProperty('installedBy');
    expect(after?.installation).toMatchObject({ user: { id: 'erased' }, bot: { token: BOT_TOKEN }, team: { id: 'T0WORKSPACE' } });
    expect(after?.installedAt).toBe('2026-11-02T09:00:00.000Z');
    const dump = await subject().dump();
    expect(dump).not.toContain('U0ANNA');
    expect(dump).not.toContain(USER_TOKEN);
    expect(dump).toContain(BOT_TOKEN);
    expect((await exportPerson(store, TEAM, 'U0ANNA'))['slackInstallations']).toEqual([]);
    expect(Object.fromEntries(await erasePerson(store, TEAM, 'U0ANNA'))).toMatchObject({ slackInstallations: 0 });
  });
});
