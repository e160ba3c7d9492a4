import type { Channel, ConversationRef, Mail, Mailer, OutboundMessage } from '../../app/ports.ts';

/** A message in a playground conversation: the card exactly as Teams would get it. */
export interface LocalMessage {
  id: string;
  at: string;
  updatedAt?: string;
  card: Record<string, unknown>;
  text: string;
}

export interface SentMail extends Mail {
  id: string;
  at: string;
}

/**
 * The playground's Channel: conversations kept in this process, read by the browser page. It sits
 * behind the same Channel port as Teams and Slack, so delivery, retries and the answered-card
 * update are the production code paths.
 */
export class LocalChannel implements Channel {
  readonly platform = 'local' as const;
  private readonly conversations = new Map<string, LocalMessage[]>();
  private next = 0;

  constructor(private readonly clock: { now(): Date }) {}

  async send(to: ConversationRef, message: OutboundMessage) {
    const id = `local-${++this.next}`;
    const list = this.conversations.get(to.key) ?? [];
    list.push({ id, at: this.clock.now().toISOString(), card: message.card, text: message.text });
    this.conversations.set(to.key, list);
    return { messageId: id };
  }

  async update(to: ConversationRef, messageId: string, message: OutboundMessage) {
    const found = this.conversations.get(to.key)?.find((m) => m.id === messageId);
    if (!found) return;
    found.card = message.card;
    found.text = message.text;
    found.updatedAt = this.clock.now().toISOString();
  }

  messages(key: string): LocalMessage[] {
    return structuredClone(this.conversations.get(key) ?? []);
  }

  find(key: string, messageId: string): LocalMessage | undefined {
    return this.conversations.get(key)?.find((m) => m.id === messageId);
  }
}

/** The playground's "sent mail" tray: what would have gone out by SMTP. */
export class LocalMailer implements Mailer {
  private readonly sent: SentMail[] = [];
  constructor(private readonly clock: { now(): Date }) {}

  async send(mail: Mail) {
    this.sent.push({ ...mail, id: `mail-${this.sent.length + 1}`, at: this.clock.now().toISOString() });
  }

  mails(): SentMail[] {
    return structuredClone(this.sent);
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
