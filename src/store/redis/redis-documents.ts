import type { DocumentStore, PersonalDataPart, TeamDocument, TeamRef } from '../../app/ports.ts';
import { decode, encode } from '../values.ts';
import { script, type RedisTeams, type Script } from './redis-team.ts';
import { REPLACE_UNCHANGED } from './scripts.ts';

/** Unlinking retries a document edited meanwhile; only an endless stream of edits by the person could outlast this. */
const UNLINK_ATTEMPTS = 5;

const field = (kind: TeamDocument['kind'], occurrenceId: string) => `${kind}|${occurrenceId}`;

/** A team's documents in one hash, by kind and occurrence: the latest version of each. */
export class RedisDocuments implements DocumentStore {
  private readonly replaceUnchanged: Script;

  constructor(private readonly teams: RedisTeams) {
    this.replaceUnchanged = script(teams.redis, 'sparringReplaceUnchanged', 1, REPLACE_UNCHANGED);
  }

  async saveDocument(team: TeamRef, document: TeamDocument) {
    await this.teams.remember(team);
    await this.teams.redis.hset(this.teams.keys(team).documents, field(document.kind, document.occurrenceId), encode(document));
  }

  async getDocument(team: TeamRef, kind: TeamDocument['kind'], occurrenceId: string) {
    const text = await this.teams.redis.hget(this.teams.keys(team).documents, field(kind, occurrenceId));
    return text ? decode<TeamDocument>(text) : undefined;
  }

  private async authoredBy(team: TeamRef, userId: string) {
    const all = Object.entries(await this.teams.redis.hgetall(this.teams.keys(team).documents));
    return all.map(([f, text]) => ({ field: f, text, document: decode<TeamDocument>(text) })).filter((d) => d.document.authorId === userId);
  }

  personalDataParts(): PersonalDataPart[] {
    return [
      {
        // The document is the team's work and stays; only the link to its author goes.
        name: 'documents',
        export: async (team, userId) => (await this.authoredBy(team, userId)).map((d) => d.document),
        erase: async (team, userId) => {
          let unlinked = 0;
          for (let attempt = 0; attempt < UNLINK_ATTEMPTS; attempt++) {
            const authored = await this.authoredBy(team, userId);
            if (authored.length === 0) break;
            const args = authored.flatMap((d) => [d.field, d.text, encode({ ...d.document, authorId: null })]);
            unlinked += Number(await this.replaceUnchanged(this.teams.keys(team).documents, ...args));
          }
          return unlinked;
        },
      },
    ];
  }
}
