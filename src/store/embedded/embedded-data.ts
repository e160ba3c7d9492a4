import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AnonymousReply, ConversationRef, HoursEntry, LocalMessage, Member, Run, SentMail, StoredReply, TeamDocument, TeamRef } from '../../app/ports.ts';
import { READABLE_SCHEMA_VERSIONS, SCHEMA_VERSION, teamIndexMember } from '../keys.ts';
import { StoredValueError } from '../values.ts';

export type Named = StoredReply & { fp: string };
export type RunFields = Omit<Run, 'members'>;

/** One team's data in the file. Every port of the embedded store keeps its part here. */
export interface TeamData {
  /** The run's own fields; schema 1 kept the members inside, see `migrate`. */
  run?: RunFields;
  /** One entry per member, in the order first added. Missing in schema 1. */
  members?: Member[];
  conversations: Record<string, ConversationRef>;
  /** occurrence → user → reply */
  named: Record<string, Record<string, Named>>;
  /** occurrence → random id → reply */
  anonymous: Record<string, Record<string, AnonymousReply>>;
  /** occurrence → user ids who answered */
  respondents: Record<string, string[]>;
  /** user → anonymous occurrences answered */
  userAnonymous: Record<string, string[]>;
  documents: Record<string, TeamDocument>;
  hours: HoursEntry[];
  /** conversation → message id → message (the playground) */
  localMessages?: Record<string, Record<string, LocalMessage>>;
  localMails?: SentMail[];
  /** Occurrences fired (the scheduler's claims, done): kept so a restart does not post them again. */
  fired?: string[];
}
interface FileContent {
  v: number;
  teams: Record<string, TeamData>;
}

const emptyTeam = (): TeamData => ({ members: [], conversations: {}, named: {}, anonymous: {}, respondents: {}, userAnonymous: {}, documents: {}, hours: [] });
export const clone = <T>(value: T): T => structuredClone(value);

/**
 * Everything in memory, written to one JSON file after every change (to a temporary file, then
 * renamed, so a crash leaves the old or the new file, never half of one). One process only.
 */
export class EmbeddedData {
  readonly teams: Record<string, TeamData>;

  /** `file` undefined keeps everything in memory only (tests). */
  constructor(private readonly file: string | undefined) {
    this.teams = file ? readTeams(file) : {};
  }

  /** The team's data, created empty for a write. */
  team(team: TeamRef): TeamData {
    return (this.teams[teamIndexMember(team)] ??= emptyTeam());
  }

  /** The team's data for a read, without creating it. */
  peek(team: TeamRef): TeamData | undefined {
    return this.teams[teamIndexMember(team)];
  }

  persist() {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ v: SCHEMA_VERSION, teams: this.teams } satisfies FileContent));
    renameSync(temporary, this.file);
  }
}

function readTeams(file: string): Record<string, TeamData> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  const content = JSON.parse(text) as FileContent;
  if (!READABLE_SCHEMA_VERSIONS.includes(content.v)) {
    throw new StoredValueError(`${file} has schema version ${String(content.v)}; this release reads ${READABLE_SCHEMA_VERSIONS.join(' and ')}`);
  }
  for (const data of Object.values(content.teams)) migrate(data);
  return content.teams;
}

/** Schema 1 → 2: the members leave the run for entries of their own; the file is written in schema 2 at the next change. */
function migrate(data: TeamData) {
  const legacy = data.run as (RunFields & { members?: Member[] }) | undefined;
  const members = (data.members ??= []);
  if (!legacy?.members) return;
  for (const member of legacy.members) if (!members.some((m) => m.userId === member.userId)) members.push(member);
  delete legacy.members;
}
