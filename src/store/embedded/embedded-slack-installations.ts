import type { PersonalDataPart, SlackInstallationRecord, SlackInstallationStore } from '../../app/ports.ts';
import { slackInstallationsOf, withoutInstaller } from '../person-exports.ts';
import { clone, type EmbeddedData } from './embedded-data.ts';

/** The app's Slack installations, by workspace (or enterprise) id, beside the teams in the data file. */
export class EmbeddedSlackInstallations implements SlackInstallationStore {
  private readonly data: EmbeddedData;
  constructor(data: EmbeddedData) {
    this.data = data;
  }

  async saveSlackInstallation(record: SlackInstallationRecord) {
    this.data.change({ set: ['slackInstallations', record.key], value: clone(record) });
  }

  async getSlackInstallation(key: string) {
    return Object.hasOwn(this.data.slackInstallations, key) ? clone(this.data.slackInstallations[key]) : undefined;
  }

  async deleteSlackInstallation(key: string) {
    if (!Object.hasOwn(this.data.slackInstallations, key)) return false;
    delete this.data.slackInstallations[key];
    // Written whole: the tokens leave the disk at once.
    this.data.persist();
    return true;
  }

  personalDataParts(): PersonalDataPart[] {
    return [
      {
        // The installation is the workspace's and stays, with its bot token; only the link to its installer goes.
        name: 'slackInstallations',
        export: (team, userId) => slackInstallationsOf(this, team, userId),
        erase: async (team, userId) => {
          const record = Object.hasOwn(this.data.slackInstallations, team.tenant) ? this.data.slackInstallations[team.tenant] : undefined;
          if (!record || record.installedBy !== userId) return 0;
          this.data.slackInstallations[team.tenant] = withoutInstaller(record);
          // Written whole: what an erasure removes leaves the disk at once.
          this.data.persist();
          return 1;
        },
      },
    ];
  }
}
