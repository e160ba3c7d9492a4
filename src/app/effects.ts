import { createHash } from 'node:crypto';
import { audienceOf } from '../domain/roles/audience.ts';
import type { Mail, MailPayload, Run, TeamRef } from './ports.ts';
import type { AppDeps, TeamRun } from './context.ts';

/**
 * Side effects of a use case, queued in the outbox and sent by delivery (retried, dead-lettered,
 * never twice): a use case answers at once and never waits on a platform or a mail server.
 */

/** The conversation key of the team channel's work items when a run names none. */
export const CHANNEL_RECIPIENT = 'channel';

/** A card for the team channel; `key` makes it once-only (asking twice posts once). Returns whether it was new. */
export async function postToChannel(deps: Pick<AppDeps, 'outbox' | 'clock'>, team: TeamRun, key: string, card: { name: string; data: unknown }): Promise<boolean> {
  const { run } = team;
  const item = { team: run.team, occurrenceId: key, recipient: run.channelKey ?? CHANNEL_RECIPIENT, card: { ...card, locale: run.locale, timeZone: run.timeZone } };
  return (await deps.outbox.enqueue([item], deps.clock.now().getTime())) === 1;
}

/**
 * A mail, once per (key, address): a form submitted twice mails once. Returns whether it was new. With
 * `ifUndelivered`, those people are told in chat should the mail server refuse it for good.
 */
export async function queueMail(deps: Pick<AppDeps, 'outbox' | 'clock'>, team: TeamRef, key: string, mail: Mail, ifUndelivered?: MailPayload['ifUndelivered']): Promise<boolean> {
  const item = { team, occurrenceId: key, recipient: `mail:${mail.to}`, mail, ...(ifUndelivered ? { ifUndelivered } : {}) };
  return (await deps.outbox.enqueue([item], deps.clock.now().getTime())) === 1;
}

/** The same card to some of the team's members, each in their own chat, once per key; at `atMs` (ms) when later than now. */
export async function postToMembers(
  deps: Pick<AppDeps, 'outbox' | 'clock'>,
  team: TeamRun,
  key: string,
  userIds: readonly string[],
  card: { name: string; data: unknown },
  atMs?: number,
): Promise<void> {
  const { run } = team;
  const items = userIds.map((recipient) => ({ team: run.team, occurrenceId: key, recipient, card: { ...card, locale: run.locale, timeZone: run.timeZone } }));
  if (items.length > 0) await deps.outbox.enqueue(items, Math.max(atMs ?? 0, deps.clock.now().getTime()));
}

/**
 * A short fingerprint of what an action sends, for its idempotency key: the same click resent by a
 * platform (or double-clicked) posts once, while a changed text is a new post.
 */
export function contentKey(content: unknown): string {
  return createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 16);
}

/** The leaders are told in chat, on the card `mail-failed`, should this mail to `to` be refused for good. */
export function leadersToldIfUndelivered(run: Run, about: { title: string; to: string; mail: 'plan' | 'late' }): NonNullable<MailPayload['ifUndelivered']> {
  const card = { name: 'mail-failed', data: { ...about, reason: '' }, locale: run.locale, timeZone: run.timeZone };
  return { recipients: audienceOf(run.members, { audience: ['leader'] }), card };
}
