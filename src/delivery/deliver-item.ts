// One item's try: prepare it (read where it goes, render it, ask the limiter), send it, and record what became of
// it under its lease. The pass that keeps many of these in flight is deliver.ts.
import { ChannelError, type ConversationRef, type LeasedItem, type LimitedSend, type MailPayload, type OutboundMessage, type WorkItem } from '../app/ports.ts';
import { CardDataError } from '../cards/render.ts';
import type { DeliveryDeps, DeliveryOptions, DeliveryPlatform, Outcome } from './deliver.ts';
import { rendered } from './rendered-cards.ts';
import { retryDelay } from './retry-delay.ts';

/** A mail that cannot be delivered is told, with the server's reason, to those it names (the leaders, in chat). */
async function tellUndelivered(deps: DeliveryDeps, item: WorkItem, notice: NonNullable<MailPayload['ifUndelivered']>, reason: string, now: number) {
  const card = { ...notice.card, data: { ...(notice.card.data as object), reason: reason.slice(0, 500) } };
  await deps.outbox.enqueue(
    notice.recipients.map((recipient) => ({ team: item.team, occurrenceId: `${item.occurrenceId}#undelivered`, recipient, card })),
    now,
  );
}

/** Whether the team removed the bot (its run inactive), asked once per team and pass. */
export type TeamStopped = (team: WorkItem['team']) => Promise<boolean>;

/** What a send returns. */
type Sent = { messageId: string; opened?: ConversationRef };

/** An item ready to go, or why it cannot go (now, or at all). */
type Prepared =
  | { kind: 'ready'; platform: DeliveryPlatform; send: () => Promise<Sent>; limited?: LimitedSend }
  | { kind: 'wait'; platform: DeliveryPlatform; untilMs: number }
  | { kind: 'undeliverable'; platform: DeliveryPlatform; reason: string };

/** What became of one try: what `record` writes. */
type Result =
  | { kind: 'sent'; sent: Sent }
  | { kind: 'wait'; untilMs: number }
  | { kind: 'throttled'; untilMs: number; reason: string; retryAfterMs?: number }
  | { kind: 'failed'; reason: string }
  | { kind: 'dead'; reason: string };

/**
 * How long a conversation may answer only 429s before its item is given up: a platform that throttles a whole
 * day is not going to take it (a blocked bot, a deleted tenant), and a card a day late has lost its point.
 */
export const MAX_THROTTLED_MS = 24 * 60 * 60 * 1000;

/** Everything a send needs, read and rendered; anything thrown here is a failed try of the item (see deliverOne). */
async function prepare(deps: DeliveryDeps, item: WorkItem, key: string, teamStopped: TeamStopped, now: number): Promise<Prepared> {
  // Removing the bot stops every send to the team, also those queued before; the data stays until erase or retention.
  const stopped = (platform: DeliveryPlatform): Prepared => ({ kind: 'undeliverable', platform, reason: 'the team removed Sparringsbot (its run is inactive)' });
  if (item.mail) {
    if (await teamStopped(item.team)) return stopped('mail');
    const { mailer } = deps;
    if (!mailer) return { kind: 'undeliverable', platform: 'mail', reason: 'no mail server configured (SMTP_URL)' };
    const mail = item.mail;
    return { kind: 'ready', platform: 'mail', send: () => mailer.send(mail, { key }) };
  }
  const to = await deps.store.getConversation(item.team, item.recipient);
  if (!to) return { kind: 'undeliverable', platform: 'unknown', reason: 'no conversation reference for the recipient' };
  if (await teamStopped(item.team)) return stopped(to.platform);
  const channel = deps.channels[to.platform];
  if (!channel) return { kind: 'undeliverable', platform: to.platform, reason: `no channel for platform ${to.platform}` };
  let message: OutboundMessage;
  try {
    message = rendered(item, to.platform);
  } catch (error) {
    // Card data no card can show will not render on any later try either.
    if (error instanceof CardDataError) return { kind: 'undeliverable', platform: to.platform, reason: error.message };
    throw error;
  }
  const conversation = String((to.reference['conversation'] as { id?: unknown } | undefined)?.id ?? to.key);
  // One id per attempt: the slot the limiter holds for this send, and what a 429 or 5xx gives back.
  const limited: LimitedSend = { platform: to.platform, tenant: item.team.tenant, conversation, send: `${key}#${item.attempts}` };
  const wait = await deps.limiter.acquire(limited, now);
  // The limiter holds the slot it named for this send: back then, it goes.
  if (wait > 0) return { kind: 'wait', platform: to.platform, untilMs: now + wait };
  return { kind: 'ready', platform: to.platform, limited, send: () => channel.send(to, message, { key }) };
}

/** Sends a prepared item; what the platform answered, with its limits told (a 429 or a 5xx was not taken, so it does not count). */
async function send(deps: DeliveryDeps, item: WorkItem, ready: Extract<Prepared, { kind: 'ready' }>): Promise<Result> {
  try {
    const sent = await ready.send();
    // A 1:1 opened for this send (a member who never wrote to the bot) is kept, so the next send goes straight there.
    if (sent.opened) await deps.store.saveConversation(item.team, sent.opened);
    return { kind: 'sent', sent };
  } catch (error) {
    const failure = error instanceof ChannelError ? error : new ChannelError(error instanceof Error ? error.message : String(error), 'transient');
    if (failure.kind === 'throttled') {
      // Retry-After counts from the answer, not from when this attempt started.
      const answeredAt = deps.clock.now().getTime();
      const untilMs = answeredAt + (failure.retryAfterMs ?? 1_000);
      if (ready.limited) await deps.limiter.throttle(ready.limited, untilMs, answeredAt);
      return { kind: 'throttled', untilMs, reason: `throttled: ${failure.message}`, ...(failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs }) };
    }
    if (failure.kind === 'permanent') return { kind: 'dead', reason: `${failure.status ?? ''} ${failure.message}`.trim() };
    // A 5xx was answered without taking the send; a timeout or a broken connection may have been taken, so it still counts.
    if (ready.limited && failure.status !== undefined && failure.status >= 500) await deps.limiter.release(ready.limited);
    return { kind: 'failed', reason: failure.message };
  }
}

export type Recorded = Outcome | 'throttled' | 'superseded';

/**
 * The one place an outcome is written. Each write is the lease holder's compare-and-set: false means another
 * worker took the item over (this lease ran out), and then this one records nothing more.
 */
async function record(deps: DeliveryDeps, options: DeliveryOptions, item: LeasedItem, result: Result, now: number): Promise<Recorded> {
  // An item to be forgotten once sent (a reminder of an anonymous questionnaire) is logged without whom it is for.
  const context = { tenant: item.team.tenant, team: item.team.team, occurrenceId: item.occurrenceId, ...(item.forgetWhenSent ? {} : { recipient: item.recipient }) };
  const superseded = (): Recorded => {
    deps.logger.warn(context, 'delivery outcome not recorded: the item was taken over by another worker or erased');
    return 'superseded';
  };
  const dead = async (reason: string): Promise<Recorded> => {
    if (!(await deps.outbox.deadLetter(item, reason, now))) return superseded();
    deps.logger.error({ ...context, reason, attempts: item.attempts }, 'delivery dead-lettered');
    if (item.mail && item.ifUndelivered) await tellUndelivered(deps, item, item.ifUndelivered, reason, now);
    return 'dead';
  };
  switch (result.kind) {
    case 'sent':
      return (await deps.outbox.markSent(item, result.sent.messageId, deps.clock.now().getTime())) ? 'sent' : superseded();
    case 'wait':
      return (await deps.outbox.retryAt(item, result.untilMs, 'rate limit', 'waiting', now)) ? 'waiting' : superseded();
    case 'dead':
      return dead(result.reason);
    case 'throttled': {
      const since = item.throttledSince ? Date.parse(item.throttledSince) : now;
      if (now - since >= MAX_THROTTLED_MS) return dead(`throttled (429) since ${item.throttledSince}: ${result.reason}`);
      if (!(await deps.outbox.retryAt(item, result.untilMs, result.reason, 'throttled', now))) return superseded();
      deps.logger.warn({ ...context, retryAfterMs: result.retryAfterMs }, 'platform throttled the tenant');
      return 'throttled';
    }
    case 'failed': {
      const attempts = item.attempts + 1;
      if (attempts >= options.maxAttempts) return dead(`gave up after ${attempts} attempts: ${result.reason}`);
      if (!(await deps.outbox.retryAt(item, now + retryDelay(item, attempts, options, () => deps.random.next()), result.reason, 'failed', now))) return superseded();
      deps.logger.warn({ ...context, attempts, error: result.reason }, 'delivery failed; will retry');
      return 'retrying';
    }
  }
}

/**
 * Prepares the item; a slot the limiter holds for it soon (options.waitForSlotMs) is waited for here and the
 * item prepared again then, once: a clock that did not move (a test's) leaves it waiting, for the queue.
 */
async function prepareInTime(
  deps: DeliveryDeps,
  options: DeliveryOptions,
  item: WorkItem,
  key: string,
  teamStopped: TeamStopped,
  stopping: () => boolean,
): Promise<{ prepared: Prepared; now: number }> {
  const now = deps.clock.now().getTime();
  const prepared = await prepare(deps, item, key, teamStopped, now);
  const waitMs = prepared.kind === 'wait' ? prepared.untilMs - now : 0;
  // An eighth of the lease at most: the send after the wait must still end well within it, also on a machine so
  // busy that timers fire seconds late (a kill run's short lease otherwise ran out, and another worker sent again).
  if (prepared.kind !== 'wait' || waitMs > Math.min(options.waitForSlotMs ?? 0, options.leaseMs / 8) || stopping()) return { prepared, now };
  await new Promise<void>((resolve) => setTimeout(resolve, waitMs));
  const then = deps.clock.now().getTime();
  if (then < prepared.untilMs || stopping()) return { prepared, now: then };
  return { prepared: await prepare(deps, item, key, teamStopped, then), now: then };
}

/** `recording` is told the moment the outcome is about to be written under the item's lease as it is then. */
export async function deliverOne(deps: DeliveryDeps, options: DeliveryOptions, item: LeasedItem, teamStopped: TeamStopped, recording: () => void, stopping: () => boolean): Promise<Recorded> {
  let now = deps.clock.now().getTime();
  const key = `${item.team.tenant}/${item.team.team}/${item.occurrenceId}/${item.recipient}`;
  let platform: DeliveryPlatform = item.mail ? 'mail' : 'unknown';
  let result: Result;
  try {
    const ready = await prepareInTime(deps, options, item, key, teamStopped, stopping);
    const prepared = ready.prepared;
    now = ready.now;
    platform = prepared.platform;
    if (prepared.kind === 'ready') result = await send(deps, item, prepared);
    else if (prepared.kind === 'wait') result = { kind: 'wait', untilMs: prepared.untilMs };
    else result = { kind: 'dead', reason: prepared.reason };
  } catch (error) {
    // Anything else that stops an item (a time zone no calendar knows, a value stored by an older release, a
    // lookup that failed) is a failed try of this item alone: retried, then a dead letter that says why.
    result = { kind: 'failed', reason: `could not prepare the item: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}` };
  }
  recording();
  const recorded = await record(deps, options, item, result, now);
  if (recorded === 'superseded') return recorded;
  deps.observe?.(platform, recorded);
  if (item.resumed) {
    // Said once per item, so an operator can tell a card a crash sent twice from any other.
    const whom = item.forgetWhenSent ? {} : { recipient: item.recipient };
    deps.logger.warn(
      { tenant: item.team.tenant, team: item.team.team, occurrenceId: item.occurrenceId, ...whom, platform },
      'delivery resumed after its worker stopped mid-send: the card may reach its recipient twice',
    );
    deps.observe?.(platform, 'resumed');
  }
  return recorded;
}
