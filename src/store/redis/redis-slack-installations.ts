import type { PersonalDataPart, SlackInstallationRecord, SlackInstallationStore } from '../../app/ports.ts';
import { slackInstallationKey } from '../keys.ts';
import { slackInstallationsOf, withoutInstaller } from '../person-exports.ts';
import { decode, encode } from '../values.ts';
import { type Client, script, type Script } from './redis-team.ts';

/** Replaces the value if it is still the one read (a reinstall meanwhile is not overwritten). KEYS: the key. ARGV: value as read, new value. */
const SET_UNCHANGED = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
return 1
`;

/** Erasing retries an installation replaced meanwhile; only an endless stream of reinstalls could outlast this. */
const ERASE_ATTEMPTS = 5;

/**
 * The app's Slack installations: one string per workspace (or enterprise), outside every team's keys,
 * since a workspace holds many teams (channels). Not in the teams index: an installation is no team's data.
 */
export class RedisSlackInstallations implements SlackInstallationStore {
  private readonly redis: Client;
  private readonly namespace?: string;
  private readonly setUnchanged: Script;

  constructor(redis: Client, namespace?: string) {
    this.redis = redis;
    this.namespace = namespace;
    this.setUnchanged = script(redis, 'sparringSetUnchanged', 1, SET_UNCHANGED);
  }

  async saveSlackInstallation(record: SlackInstallationRecord) {
    await this.redis.set(slackInstallationKey(record.key, this.namespace), encode(record));
  }

  async getSlackInstallation(key: string) {
    const text = await this.redis.get(slackInstallationKey(key, this.namespace));
    return text ? decode<SlackInstallationRecord>(text) : undefined;
  }

  async deleteSlackInstallation(key: string) {
    return (await this.redis.del(slackInstallationKey(key, this.namespace))) > 0;
  }

  personalDataParts(): PersonalDataPart[] {
    return [
      {
        // The installation is the workspace's and stays, with its bot token; only the link to its installer goes.
        name: 'slackInstallations',
        export: (team, userId) => slackInstallationsOf(this, team, userId),
        erase: async (team, userId) => {
          const key = slackInstallationKey(team.tenant, this.namespace);
          for (let attempt = 0; attempt < ERASE_ATTEMPTS; attempt++) {
            const text = await this.redis.get(key);
            if (!text) return 0;
            const record = decode<SlackInstallationRecord>(text);
            if (record.installedBy !== userId) return 0;
            if (Number(await this.setUnchanged(key, text, encode(withoutInstaller(record)))) === 1) return 1;
          }
          return 0;
        },
      },
    ];
  }
}
