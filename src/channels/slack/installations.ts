// Where the Slack app's tokens come from. One workspace: the bot token from the environment. Many (OAuth):
// Bolt's installation store, kept in our store (Redis or the embedded file) through its port, so every
// replica finds a workspace's token. Tokens are never logged.
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { Clock, ConversationRef, Logger, SlackInstallationStore } from '../../app/ports.ts';

/** Bolt's installation, kept under its org for an org-wide install, else under its workspace. */
function keyOf(installation: Installation): string | undefined {
  return installation.isEnterpriseInstall ? installation.enterprise?.id : installation.team?.id;
}

function keyOfQuery(query: InstallationQuery<boolean>): string | undefined {
  return query.isEnterpriseInstall ? query.enterpriseId : query.teamId;
}

/** Bolt's InstallationStore on our store. */
export function boltInstallationStore(store: SlackInstallationStore, clock: Clock, logger: Logger): InstallationStore {
  return {
    async storeInstallation(installation) {
      const key = keyOf(installation);
      if (!key) throw new Error('Slack installation without a workspace or org id');
      await store.saveSlackInstallation({
        key,
        installation: installation as unknown as Record<string, unknown>,
        ...(installation.user?.id ? { installedBy: installation.user.id } : {}),
        installedAt: clock.now().toISOString(),
      });
      logger.info({ platform: 'slack', workspace: key, enterprise: Boolean(installation.isEnterpriseInstall) }, 'Slack app installed');
    },
    async fetchInstallation(query) {
      const key = keyOfQuery(query);
      const found = key ? await store.getSlackInstallation(key) : undefined;
      // An org-wide install answers for every workspace of the org.
      const record = found ?? (query.enterpriseId && !query.isEnterpriseInstall ? await store.getSlackInstallation(query.enterpriseId) : undefined);
      if (!record) throw new Error('No Slack installation for this workspace');
      return record.installation as unknown as Installation;
    },
    async deleteInstallation(query) {
      const key = keyOfQuery(query);
      if (key) await store.deleteSlackInstallation(key);
    },
  };
}

/** The bot token to send with to a conversation: by its workspace's installation, or the one token. */
export type TokenFor = (to: ConversationRef) => Promise<string | undefined>;

export function singleToken(token: string): TokenFor {
  return async () => token;
}

export function installedToken(store: SlackInstallationStore): TokenFor {
  return async (to) => {
    const keys = [to.reference['team'], to.reference['enterprise']].filter((k): k is string => typeof k === 'string');
    for (const key of keys) {
      const record = await store.getSlackInstallation(key);
      const token = (record?.installation['bot'] as { token?: unknown } | undefined)?.token;
      if (typeof token === 'string') return token;
    }
    return undefined;
  };
}
