import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { NodemailerError } from 'nodemailer/lib/errors';
import type Transporter from 'nodemailer/lib/mailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { ChannelError, type Mail, type Mailer } from '../app/ports.ts';

export interface SmtpMailerOptions {
  /** SMTP_URL: `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://user:pass@host:465`. */
  url: string;
  /** MAIL_FROM: an address, or `"Name" <address>`. */
  from: string;
  /** How long to wait for DNS, the connection and the greeting; an idle socket gets 4× this. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;

/** Errors without an SMTP reply that a retry cannot fix: a bad address or a bad configuration. */
const PERMANENT_CODES = new Set(['EENVELOPE', 'ECONFIG', 'ENOAUTH']);

/** nodemailer, loaded with the first mailer: a server without SMTP_URL starts without it. */
function nodemailer() {
  const require = createRequire(import.meta.url);
  return { createTransport: (require('nodemailer') as typeof import('nodemailer')).createTransport, SMTPTransport: require('nodemailer/lib/smtp-transport') as typeof SMTPTransport };
}

/** Sends mails over SMTP, one connection per mail. Throws ChannelError. */
export class SmtpMailer implements Mailer {
  private readonly transporter: Transporter<SMTPTransport.SentMessageInfo, SMTPTransport.Options>;
  private readonly from: string;

  constructor(options: SmtpMailerOptions) {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.from = options.from;
    // An SMTPTransport, not createTransport(url): a `?pool=true` in SMTP_URL would otherwise switch to
    // SMTPPool, which requeues a message whose connection dropped, so a mail the server took could go twice.
    // Retrying belongs to the outbox, which counts attempts; this transport never retries on its own.
    const { createTransport, SMTPTransport } = nodemailer();
    this.transporter = createTransport(
      new SMTPTransport({
        url: options.url,
        connectionTimeout: timeoutMs,
        greetingTimeout: timeoutMs,
        dnsTimeout: timeoutMs,
        // Servers may scan a message before answering its DATA; giving up there means a resend of a mail that may have gone.
        socketTimeout: timeoutMs * 4,
      }),
    );
  }

  async send(mail: Mail, options: { key?: string } = {}): Promise<{ messageId: string }> {
    try {
      const info = await this.transporter.sendMail({
        from: this.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        ...(options.key ? { messageId: messageIdFor(options.key, this.from) } : {}),
        // RFC 3834: tells out-of-office responders not to answer a bot.
        headers: { 'Auto-Submitted': 'auto-generated' },
        // icalEvent, not a plain attachment: nodemailer then lays the mail out as Gmail's own invitations are
        // (a text/calendar; method=… alternative, which calendar clients act on, plus invite.ics attached).
        ...(mail.ics ? { icalEvent: { method: calendarMethod(mail.ics), filename: 'invite.ics', content: mail.ics } } : {}),
      });
      return { messageId: info.messageId };
    } catch (error) {
      throw toChannelError(error);
    }
  }
}

/** The same work item always gets the same Message-ID, so a resend after a crash is recognisable as one mail. */
export function messageIdFor(key: string, from: string): string {
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 32);
  const domain = /@([^\s<>@]+)>?\s*$/.exec(from)?.[1] ?? 'sparringsbot';
  return `<${hash}.sparringsbot@${domain}>`;
}

/** RFC 6047: the content type's method must match the calendar's METHOD; an invitation when it has none. */
function calendarMethod(ics: string): string {
  return /^METHOD:([A-Za-z-]+)\s*$/m.exec(ics)?.[1]?.toUpperCase() ?? 'REQUEST';
}

/**
 * SMTP reply classes, per RFC 5321: 4xx try again later, 5xx never. Nodemailer's `permanent` follows
 * that and treats 503 (bad sequence of commands: our session, not the message) as worth a retry.
 * The message names the step and the server's reply, never the mail.
 */
export function toChannelError(error: unknown): ChannelError {
  const e = (error ?? {}) as NodemailerError;
  const status = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const parts = ['SMTP send failed:', e.code ?? 'unknown error'];
  if (e.command && e.command !== 'API') parts.push(`at ${e.command}`);
  if (e.response) parts.push(`(${e.response.split(/\r?\n/)[0]?.slice(0, 200)})`);
  else if (e.originalCode) parts.push(`(${e.originalCode})`);
  const message = parts.join(' ');
  if (status !== undefined) {
    const permanent = e.permanent ?? status >= 500;
    return new ChannelError(message, permanent ? 'permanent' : 'transient', undefined, status);
  }
  return new ChannelError(message, e.code && PERMANENT_CODES.has(e.code) ? 'permanent' : 'transient');
}
