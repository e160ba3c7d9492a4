import { randomUUID } from 'node:crypto';
import type { Channel, ConversationRef, LocalMessage, Mail, Mailer, OutboundMessage, SentMail, TeamRef } from '../../app/ports.ts';
import type { LocalTranscriptStore } from '../../app/store-ports.ts';

export type { LocalMessage, SentMail };

/**
 * The playground's Channel: its conversations live in the store (the embedded file, or Redis when
 * REDIS_URL is set) and the browser page reads them. It sits behind the same Channel port as Teams
 * and Slack, so delivery, retries and the answered-card update are the production code paths.
 */
export class LocalChannel implements Channel {
  private readonly clock: { now(): Date };
  private readonly store: LocalTranscriptStore;
  private readonly team: TeamRef;
  readonly platform = 'local' as const;

  constructor(clock: { now(): Date }, store: LocalTranscriptStore, team: TeamRef) {
    this.clock = clock;
    this.store = store;
    this.team = team;
  }

  async send(to: ConversationRef, message: OutboundMessage) {
    const id = `local-${randomUUID()}`;
    await this.store.saveLocalMessage(this.team, to.key, { id, at: this.clock.now().toISOString(), card: message.card, text: message.text });
    return { messageId: id };
  }

  async update(to: ConversationRef, messageId: string, message: OutboundMessage) {
    const found = await this.find(to.key, messageId);
    if (!found) return;
    await this.store.saveLocalMessage(this.team, to.key, { ...found, card: message.card, text: message.text, updatedAt: this.clock.now().toISOString() });
  }

  messages(key: string): Promise<LocalMessage[]> {
    return this.store.localMessages(this.team, key);
  }

  async find(key: string, messageId: string): Promise<LocalMessage | undefined> {
    return (await this.messages(key)).find((m) => m.id === messageId);
  }
}

/** The playground's "sent mail" tray: what would have gone out by SMTP, kept in the store. */
export class LocalMailer implements Mailer {
  private readonly clock: { now(): Date };
  private readonly store: LocalTranscriptStore;
  private readonly team: TeamRef;
  constructor(clock: { now(): Date }, store: LocalTranscriptStore, team: TeamRef) {
    this.clock = clock;
    this.store = store;
    this.team = team;
  }

  async send(mail: Mail) {
    const id = `mail-${randomUUID()}`;
    await this.store.saveLocalMail(this.team, { ...mail, id, at: this.clock.now().toISOString() });
    return { messageId: id };
  }

  mails(): Promise<SentMail[]> {
    return this.store.localMails(this.team);
  }
}

/** Real time plus an offset the playground moves forward: the scheduler and delivery see the demo's time. */
export class SettableClock {
  private offsetMs: number;
  constructor(start: Date) {
    this.offsetMs = start.getTime() - Date.now();
  }
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advanceTo(instant: Date) {
    this.offsetMs += Math.max(0, instant.getTime() - this.now().getTime());
  }
}
