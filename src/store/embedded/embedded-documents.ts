import type { DocumentStore, PersonalDataPart, TeamDocument, TeamRef } from '../../app/ports.ts';
import { clone, type EmbeddedData } from './embedded-data.ts';

const field = (kind: TeamDocument['kind'], occurrenceId: string) => `${kind}|${occurrenceId}`;

/** A team's documents by kind and occurrence: the latest version of each. */
export class EmbeddedDocuments implements DocumentStore {
  constructor(private readonly data: EmbeddedData) {}

  async saveDocument(team: TeamRef, document: TeamDocument) {
    this.data.team(team).documents[field(document.kind, document.occurrenceId)] = clone(document);
    this.data.persist();
  }

  async getDocument(team: TeamRef, kind: TeamDocument['kind'], occurrenceId: string) {
    return clone(this.data.peek(team)?.documents[field(kind, occurrenceId)]);
  }

  private authoredBy(team: TeamRef, userId: string) {
    return Object.values(this.data.peek(team)?.documents ?? {}).filter((d) => d.authorId === userId);
  }

  personalDataParts(): PersonalDataPart[] {
    return [
      {
        // The document is the team's work and stays; only the link to its author goes.
        name: 'documents',
        export: async (team, userId) => clone(this.authoredBy(team, userId)),
        erase: async (team, userId) => {
          const authored = this.authoredBy(team, userId);
          for (const document of authored) document.authorId = null;
          if (authored.length > 0) this.data.persist();
          return authored.length;
        },
      },
    ];
  }
}
