import type { DocumentStore, PersonalDataPart, TeamDocument, TeamRef } from '../../app/ports.ts';
import { clone, type EmbeddedData } from './embedded-data.ts';

const field = (kind: TeamDocument['kind'], occurrenceId: string) => `${kind}|${occurrenceId}`;

/** A team's documents by kind and occurrence: the latest version of each, and every version beside it. */
export class EmbeddedDocuments implements DocumentStore {
  private readonly data: EmbeddedData;
  constructor(data: EmbeddedData) {
    this.data = data;
  }

  async saveDocument(team: TeamRef, document: TeamDocument) {
    const f = field(document.kind, document.occurrenceId);
    this.data.change({ set: this.data.path(team, 'documents', f), value: clone(document) }, { push: this.data.path(team, 'documentVersions', f), value: clone(document) });
  }

  async getDocument(team: TeamRef, kind: TeamDocument['kind'], occurrenceId: string) {
    return clone(this.data.peek(team)?.documents[field(kind, occurrenceId)]);
  }

  async documentVersions(team: TeamRef, kind: TeamDocument['kind'], occurrenceId: string) {
    return clone(this.data.peek(team)?.documentVersions?.[field(kind, occurrenceId)] ?? []);
  }

  private authoredBy(team: TeamRef, userId: string) {
    return Object.values(this.data.peek(team)?.documents ?? {}).filter((d) => d.authorId === userId);
  }

  private versionsBy(team: TeamRef, userId: string) {
    return Object.values(this.data.peek(team)?.documentVersions ?? {}).flatMap((versions) => versions.filter((d) => d.authorId === userId));
  }

  personalDataParts(): PersonalDataPart[] {
    return [
      {
        // The document is the team's work and stays; only the link to its author goes, in every version.
        name: 'documents',
        export: async (team, userId) => {
          const latest = this.authoredBy(team, userId);
          const versions = this.versionsBy(team, userId).filter((v) => !latest.some((d) => d.kind === v.kind && d.occurrenceId === v.occurrenceId && d.at === v.at));
          return clone([...latest, ...versions]);
        },
        erase: async (team, userId) => {
          const authored = this.authoredBy(team, userId);
          const versions = this.versionsBy(team, userId);
          for (const document of [...authored, ...versions]) document.authorId = null;
          // Written whole: what an erasure removes leaves the disk at once.
          if (authored.length + versions.length > 0) this.data.persist();
          return authored.length;
        },
      },
    ];
  }
}
