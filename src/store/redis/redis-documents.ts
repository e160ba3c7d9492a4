import type { DocumentStore, PersonalDataPart, TeamDocument, TeamRef } from '../../app/ports.ts';
import { decode, encode } from '../values.ts';
import { script, type RedisTeams, type Script } from './redis-team.ts';
import { REPLACE_UNCHANGED, REPLACE_UNCHANGED_IN_LIST } from './scripts.ts';

/** Unlinking retries a document edited meanwhile; only an endless stream of edits by the person could outlast this. */
const UNLINK_ATTEMPTS = 5;

const field = (kind: TeamDocument['kind'], occurrenceId: string) => `${kind}|${occurrenceId}`;

/** A team's documents: the latest version of each in one hash, by kind and occurrence, and every version in a list beside it. */
export class RedisDocuments implements DocumentStore {
  private readonly teams: RedisTeams;
  private readonly replaceUnchanged: Script;
  private readonly replaceUnchangedInList: Script;

  constructor(teams: RedisTeams) {
    this.teams = teams;
    this.replaceUnchanged = script(teams.redis, 'sparringReplaceUnchanged', 1, REPLACE_UNCHANGED);
    this.replaceUnchangedInList = script(teams.redis, 'sparringReplaceUnchangedInList', 1, REPLACE_UNCHANGED_IN_LIST);
  }

  async saveDocument(team: TeamRef, document: TeamDocument) {
    await this.teams.remember(team);
    const keys = this.teams.keys(team);
    const f = field(document.kind, document.occurrenceId);
    const value = encode(document);
    // One transaction: the latest version and the list of versions never disagree.
    await this.teams.redis.multi().hset(keys.documents, f, value).rpush(keys.documentVersions(f), value).exec();
  }

  async getDocument(team: TeamRef, kind: TeamDocument['kind'], occurrenceId: string) {
    const text = await this.teams.redis.hget(this.teams.keys(team).documents, field(kind, occurrenceId));
    return text ? decode<TeamDocument>(text) : undefined;
  }

  async documentVersions(team: TeamRef, kind: TeamDocument['kind'], occurrenceId: string) {
    const texts = await this.teams.redis.lrange(this.teams.keys(team).documentVersions(field(kind, occurrenceId)), 0, -1);
    return texts.map((text) => decode<TeamDocument>(text));
  }

  private async authoredBy(team: TeamRef, userId: string) {
    const all = Object.entries(await this.teams.redis.hgetall(this.teams.keys(team).documents));
    return all.map(([f, text]) => ({ field: f, text, document: decode<TeamDocument>(text) })).filter((d) => d.document.authorId === userId);
  }

  /** The person's versions of every document, by document field. */
  private async versionsBy(team: TeamRef, userId: string) {
    const keys = this.teams.keys(team);
    const fields = await this.teams.redis.hkeys(keys.documents);
    const lists = await Promise.all(fields.map(async (f) => ({ key: keys.documentVersions(f), texts: await this.teams.redis.lrange(keys.documentVersions(f), 0, -1) })));
    return lists.map(({ key, texts }) => ({ key, texts: texts.filter((text) => decode<TeamDocument>(text).authorId === userId) })).filter((l) => l.texts.length > 0);
  }

  personalDataParts(): PersonalDataPart[] {
    return [
      {
        // The document is the team's work and stays; only the link to its author goes, in every version.
        name: 'documents',
        export: async (team, userId) => {
          const latest = (await this.authoredBy(team, userId)).map((d) => d.document);
          const versions = (await this.versionsBy(team, userId)).flatMap((l) => l.texts.map((text) => decode<TeamDocument>(text)));
          return [...latest, ...versions.filter((v) => !latest.some((d) => d.kind === v.kind && d.occurrenceId === v.occurrenceId && d.at === v.at))];
        },
        erase: async (team, userId) => {
          let unlinked = 0;
          for (let attempt = 0; attempt < UNLINK_ATTEMPTS; attempt++) {
            const authored = await this.authoredBy(team, userId);
            if (authored.length === 0) break;
            const args = authored.flatMap((d) => [d.field, d.text, encode({ ...d.document, authorId: null })]);
            unlinked += Number(await this.replaceUnchanged(this.teams.keys(team).documents, ...args));
          }
          for (let attempt = 0; attempt < UNLINK_ATTEMPTS; attempt++) {
            const lists = await this.versionsBy(team, userId);
            if (lists.length === 0) break;
            for (const { key, texts } of lists) {
              const args = texts.flatMap((text) => [text, encode({ ...decode<TeamDocument>(text), authorId: null })]);
              await this.replaceUnchangedInList(key, ...args);
            }
          }
          return unlinked;
        },
      },
    ];
  }
}
