import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type {
  AnonymousReply,
  ConversationRef,
  ErasureReport,
  HoursEntry,
  LocalMessage,
  PersonExport,
  Random,
  RecordOutcome,
  ReplyToRecord,
  Run,
  SentMail,
  Store,
  StoredReply,
  TeamDocument,
  TeamRef,
} from '../../app/ports.ts';
import { SCHEMA_VERSION, teamFromIndexMember, teamIndexMember } from '../keys.ts';
import { dayStart, fingerprint, StoredValueError } from '../values.ts';
import { MemoryClaims } from './memory-delivery.ts';

/**
 * The Store for a machine with no Redis (the playground, a trial): everything in memory, written
 * to one JSON file after every change (to a temporary file, then renamed, so a crash leaves the
 * old or the new file, never half of one). Single process only; the Redis store is for replicas.
 */

type Named = StoredReply & { fp: string };
interface TeamData {
  run?: Run;
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

const emptyTeam = (): TeamData => ({ conversations: {}, named: {}, anonymous: {}, respondents: {}, userAnonymous: {}, documents: {}, hours: [] });
const clone = <T>(value: T): T => structuredClone(value);
const addTo = (list: string[] | undefined, item: string) => [...new Set([...(list ?? []), item])].sort();

export class EmbeddedStore implements Store {
  /** The scheduler's claims, with what has fired kept in this store's file, so a restart posts nothing twice. */
  readonly claims = new MemoryClaims({
    has: (team, occurrenceId) => this.peek(team)?.fired?.includes(occurrenceId) ?? false,
    add: (team, occurrenceId) => {
      const data = this.team(team);
      data.fired = [...new Set([...(data.fired ?? []), occurrenceId])];
      this.persist();
    },
    all: (team) => new Set(this.peek(team)?.fired ?? []),
  });

  private readonly teams: Record<string, TeamData>;

  /** `file` undefined keeps everything in memory only (tests). */
  constructor(
    private readonly file: string | undefined,
    private readonly random: Random,
  ) {
    this.teams = file ? readTeams(file) : {};
  }

  private team(team: TeamRef): TeamData {
    return (this.teams[teamIndexMember(team)] ??= emptyTeam());
  }

  private peek(team: TeamRef): TeamData | undefined {
    return this.teams[teamIndexMember(team)];
  }

  private persist() {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ v: SCHEMA_VERSION, teams: this.teams } satisfies FileContent));
    renameSync(temporary, this.file);
  }

  async saveRun(run: Run) {
    this.team(run.team).run = clone(run);
    this.persist();
  }

  async getRun(team: TeamRef) {
    return clone(this.peek(team)?.run);
  }

  async listRuns() {
    return Object.values(this.teams).flatMap((t) => (t.run ? [clone(t.run)] : []));
  }

  async listTeams() {
    return Object.keys(this.teams).sort().map(teamFromIndexMember);
  }

  async saveConversation(team: TeamRef, ref: ConversationRef) {
    this.team(team).conversations[ref.key] = clone(ref);
    this.persist();
  }

  async getConversation(team: TeamRef, key: string) {
    return clone(this.peek(team)?.conversations[key]);
  }

  async recordReply(team: TeamRef, reply: ReplyToRecord): Promise<RecordOutcome> {
    const data = this.team(team);
    const { occurrenceId } = reply;
    const { userId } = reply.respondent;
    const respondents = data.respondents[occurrenceId] ?? [];
    if (reply.anonymous) {
      if (respondents.includes(userId)) return 'anonymousAlreadyAnswered';
      data.respondents[occurrenceId] = addTo(respondents, userId);
      (data.anonymous[occurrenceId] ??= {})[this.random.id()] = { occurrenceId, ...clone(reply.answers), day: reply.day };
      data.userAnonymous[userId] = addTo(data.userAnonymous[userId], occurrenceId);
      this.persist();
      return 'created';
    }
    const fp = fingerprint(reply.answers);
    const byUser = (data.named[occurrenceId] ??= {});
    const current = byUser[userId];
    if (current?.fp === fp) return 'duplicate';
    const history = current ? [...current.history, { outcome: current.outcome, values: current.values, at: current.at }] : [];
    byUser[userId] = { occurrenceId, respondent: clone(reply.respondent), ...clone(reply.answers), at: reply.at, history, fp };
    data.respondents[occurrenceId] = addTo(respondents, userId);
    this.persist();
    return current ? 'updated' : 'created';
  }

  async namedReplies(team: TeamRef, occurrenceId: string) {
    return Object.values(this.peek(team)?.named[occurrenceId] ?? {})
      .map(withoutFingerprint)
      .sort((a, b) => a.at.localeCompare(b.at) || a.respondent.userId.localeCompare(b.respondent.userId));
  }

  async anonymousReplies(team: TeamRef, occurrenceId: string) {
    return clone(Object.values(this.peek(team)?.anonymous[occurrenceId] ?? {}));
  }

  async respondents(team: TeamRef, occurrenceId: string) {
    return [...(this.peek(team)?.respondents[occurrenceId] ?? [])];
  }

  async saveDocument(team: TeamRef, document: TeamDocument) {
    this.team(team).documents[`${document.kind}|${document.occurrenceId}`] = clone(document);
    this.persist();
  }

  async getDocument(team: TeamRef, kind: TeamDocument['kind'], occurrenceId: string) {
    return clone(this.peek(team)?.documents[`${kind}|${occurrenceId}`]);
  }

  async addHours(team: TeamRef, entry: HoursEntry) {
    this.team(team).hours.push(clone(entry));
    this.persist();
  }

  async hours(team: TeamRef) {
    return clone(this.peek(team)?.hours ?? []);
  }

  async exportPerson(team: TeamRef, userId: string): Promise<PersonExport> {
    const data = this.peek(team) ?? emptyTeam();
    const replies = Object.keys(data.named)
      .sort()
      .flatMap((occurrenceId) => {
        const reply = data.named[occurrenceId]?.[userId];
        return reply ? [withoutFingerprint(reply)] : [];
      });
    const conversation = data.conversations[userId];
    return {
      team,
      userId,
      replies,
      answeredAnonymously: [...(data.userAnonymous[userId] ?? [])],
      conversations: conversation ? [clone(conversation)] : [],
      documents: clone(Object.values(data.documents).filter((d) => d.authorId === userId)),
      hours: clone(data.hours.filter((h) => h.userId === userId)),
    };
  }

  async erasePerson(team: TeamRef, userId: string): Promise<ErasureReport> {
    const data = this.peek(team);
    const report: ErasureReport = { replies: 0, anonymousMarkers: 0, conversations: 0, documentsUnlinked: 0, hoursEntries: 0 };
    if (!data) return report;
    for (const byUser of Object.values(data.named)) {
      if (byUser[userId]) {
        delete byUser[userId];
        report.replies++;
      }
    }
    report.anonymousMarkers = data.userAnonymous[userId]?.length ?? 0;
    delete data.userAnonymous[userId];
    for (const [occurrenceId, users] of Object.entries(data.respondents)) data.respondents[occurrenceId] = users.filter((u) => u !== userId);
    if (data.conversations[userId]) {
      delete data.conversations[userId];
      report.conversations = 1;
    }
    for (const document of Object.values(data.documents)) {
      if (document.authorId === userId) {
        document.authorId = null;
        report.documentsUnlinked++;
      }
    }
    const before = data.hours.length;
    data.hours = data.hours.filter((h) => h.userId !== userId);
    report.hoursEntries = before - data.hours.length;
    this.persist();
    return report;
  }

  async deleteRepliesBefore(team: TeamRef, cutoff: Date): Promise<number> {
    const data = this.peek(team);
    if (!data) return 0;
    let deleted = 0;
    for (const [occurrenceId, byUser] of Object.entries(data.named)) {
      for (const [userId, reply] of Object.entries(byUser)) {
        if (Date.parse(reply.at) >= cutoff.getTime()) continue;
        delete byUser[userId];
        data.respondents[occurrenceId] = (data.respondents[occurrenceId] ?? []).filter((u) => u !== userId);
        deleted++;
      }
    }
    for (const [occurrenceId, byId] of Object.entries(data.anonymous)) {
      for (const [id, reply] of Object.entries(byId)) {
        if (dayStart(reply.day) >= cutoff.getTime()) continue;
        delete byId[id];
        deleted++;
      }
      if (Object.keys(byId).length === 0 && data.respondents[occurrenceId]) {
        for (const userId of data.respondents[occurrenceId]) data.userAnonymous[userId] = (data.userAnonymous[userId] ?? []).filter((o) => o !== occurrenceId);
        delete data.respondents[occurrenceId];
      }
    }
    if (deleted > 0) this.persist();
    return deleted;
  }

  async saveLocalMessage(team: TeamRef, conversation: string, message: LocalMessage) {
    const data = this.team(team);
    ((data.localMessages ??= {})[conversation] ??= {})[message.id] = clone(message);
    this.persist();
  }

  async localMessages(team: TeamRef, conversation: string) {
    const messages = Object.values(this.peek(team)?.localMessages?.[conversation] ?? {});
    return clone(messages.sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id, undefined, { numeric: true })));
  }

  async saveLocalMail(team: TeamRef, mail: SentMail) {
    (this.team(team).localMails ??= []).push(clone(mail));
    this.persist();
  }

  async localMails(team: TeamRef) {
    return clone(this.peek(team)?.localMails ?? []);
  }

  async close() {}
}

function withoutFingerprint(reply: Named): StoredReply {
  const { fp: _fp, ...rest } = clone(reply);
  return rest;
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
  if (content.v !== SCHEMA_VERSION) throw new StoredValueError(`${file} has schema version ${String(content.v)}; this release reads ${SCHEMA_VERSION}`);
  return content.teams;
}
