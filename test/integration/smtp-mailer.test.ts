// The SMTP mailer against a real SMTP server: what the guide's mail client would get, and how
// the server's refusals reach delivery (retry later, or give up).
import ical from 'ical-generator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChannelError, type Mail } from '../../src/app/ports.ts';
import { SmtpMailer } from '../../src/mail/smtp-mailer.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';

const FROM = '"Sparringsbot" <sparring@example.org>';

function invitation(): string {
  const calendar = ical({ prodId: { company: 'Sparringsbot', product: 'test', language: 'DA' } });
  calendar.createEvent({
    id: 'visit-1@sparringsbot',
    start: new Date('2026-03-12T08:00:00Z'),
    end: new Date('2026-03-12T10:00:00Z'),
    summary: 'Besøg på Fælledskolen',
  });
  return calendar.toString();
}

const mail = (overrides: Partial<Mail> = {}): Mail => ({
  to: 'guide@example.org',
  subject: 'Forberedelse til besøget – Ærø',
  text: 'Kære guide,\n\nLederne har svaret på spørgsmålene før besøget: æøå ÆØÅ.\n',
  ...overrides,
});

async function failure(promise: Promise<unknown>): Promise<ChannelError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ChannelError);
  return error as ChannelError;
}

describe('SmtpMailer', () => {
  let server: TestSmtpServer;
  let mailer: SmtpMailer;

  beforeEach(async () => {
    server = await startSmtpServer();
    // No case here tests a timeout: a generous one keeps a busy machine from failing a send.
    mailer = new SmtpMailer({ url: server.url, from: FROM, timeoutMs: 60_000 });
  });
  afterEach(async () => {
    await server.close();
  });

  it('delivers a Danish mail with the visit as a calendar invitation', async () => {
    const sent = await mailer.send(mail({ ics: invitation() }), { key: 'team-1/mail:visit-1/mail:guide@example.org' });

    const [received] = await server.waitForMessages(1);
    const parsed = received!.mail;
    expect(parsed.subject).toBe('Forberedelse til besøget – Ærø');
    expect(parsed.from?.value).toEqual([{ address: 'sparring@example.org', name: 'Sparringsbot' }]);
    expect(parsed.to).toMatchObject({ value: [{ address: 'guide@example.org' }] });
    expect(parsed.text).toBe('Kære guide,\n\nLederne har svaret på spørgsmålene før besøget: æøå ÆØÅ.\n');
    expect(parsed.messageId).toBe(sent.messageId);
    expect(received!.envelope.rcptTo.map((r) => r.address)).toEqual(['guide@example.org']);
    expect(received!.user).toBe('user');

    // What calendar clients act on: a text/calendar part with the invitation's method.
    const calendarPart = parsed.attachments.find((a) => a.contentType === 'text/calendar');
    expect(calendarPart?.headers.get('content-type')).toMatchObject({ params: { method: 'REQUEST', charset: 'utf-8' } });
    expect(calendarPart?.content.toString('utf8')).toContain('BEGIN:VEVENT');
    expect(calendarPart?.content.toString('utf8')).toContain('SUMMARY:Besøg på Fælledskolen');
    // What a person can save or open: the same calendar as invite.ics.
    const file = parsed.attachments.find((a) => a.filename === 'invite.ics');
    expect(file?.content.toString('utf8')).toContain('BEGIN:VEVENT');
  });

  it('sends a mail without an invitation as plain text', async () => {
    await mailer.send(mail());
    const [received] = await server.waitForMessages(1);
    expect(received!.mail.attachments).toEqual([]);
    expect(received!.mail.text).toContain('æøå');
  });

  it('gives a resend of the same work item the same Message-ID, and another item another', async () => {
    const first = await mailer.send(mail(), { key: 'team-1/mail:visit-1/mail:guide@example.org' });
    const again = await mailer.send(mail(), { key: 'team-1/mail:visit-1/mail:guide@example.org' });
    const other = await mailer.send(mail(), { key: 'team-1/mail:visit-2/mail:guide@example.org' });

    const received = await server.waitForMessages(3);
    expect(again.messageId).toBe(first.messageId);
    expect(other.messageId).not.toBe(first.messageId);
    expect(received.map((m) => m.mail.messageId)).toEqual([first.messageId, first.messageId, other.messageId]);
  });

  it('reports a 451 as transient, delivers nothing, and gets through on the next try', async () => {
    server.refuse(451, 1);
    const error = await failure(mailer.send(mail({ ics: invitation() })));
    expect(error.kind).toBe('transient');
    expect(error.status).toBe(451);
    expect(error.message).not.toContain('æøå');
    expect(error.message).not.toContain('VEVENT');
    expect(server.messages).toEqual([]);

    await mailer.send(mail({ ics: invitation() }));
    expect(await server.waitForMessages(1)).toHaveLength(1);
  });

  it('reports a 550 as permanent', async () => {
    server.refuse(550);
    const error = await failure(mailer.send(mail()));
    expect(error.kind).toBe('permanent');
    expect(error.status).toBe(550);
    expect(error.message).not.toContain('Kære guide');
    expect(server.messages).toEqual([]);
  });

  it('reports a server that is not there as transient', async () => {
    const gone = await startSmtpServer();
    await gone.close();
    const unreachable = new SmtpMailer({ url: gone.url, from: FROM, timeoutMs: 5_000 });

    const error = await failure(unreachable.send(mail()));
    expect(error.kind).toBe('transient');
    expect(error.status).toBeUndefined();
  });
});
