import type { Channel, Clock, ConversationStore, LeasedItem, Logger, Mailer, Outbox, Random, RateLimiter, RunStore } from '../app/ports.ts';
import { deliverOne, type TeamStopped } from './deliver-item.ts';
import type { Platform } from '../domain/replies/reply.ts';

/**
 * Sends due work items (cards through their platform's Channel, mails through the Mailer): bounded concurrency, the platforms' limits shared through the RateLimiter
 * (a send it refuses comes back at the slot it holds for it), a 429's Retry-After honoured by the conversation (and the whole tenant slowed to 80% of its rate
 * when 429s repeat), 5xx and network errors retried with jittered backoff, and after `maxAttempts` a dead letter with its reason. Each item goes
 * through `prepare` (ready to send, wait for the limiter, or undeliverable), then `send`, then `record`, the one place its outcome is written under
 * its lease (deliver-item.ts); anything thrown on the way is a failed try of that item alone. The leases of the sends in flight are extended
 * while they last, so a slow send stays with its worker. Driven by the caller's clock, so tests run it at a fake time and
 * production in a loop (see loop.ts).
 */

export interface DeliveryDeps {
  outbox: Outbox;
  limiter: RateLimiter;
  /** Where each recipient is reached, and whether the team still has the bot (a run made inactive sends nothing more). */
  store: ConversationStore & Pick<RunStore, 'getRun'>;
  channels: Partial<Record<Platform, Channel>>;
  /** Sends the outbox's mails; without one, a mail item is a dead letter that says so. */
  mailer?: Mailer;
  clock: Clock;
  random: Random;
  logger: Logger;
  /** Told each item's outcome and where it went (the metrics); `throttled` is a 429 (counted as `waiting` in a pass's totals). */
  observe?: (platform: DeliveryPlatform, event: DeliveryEvent) => void;
}

export interface DeliveryOptions {
  /** Sends in flight at once in this process. */
  concurrency: number;
  /** How long a taken item stays hidden from other workers: longer than a send can take. */
  leaseMs: number;
  maxAttempts: number;
  /** Retry delay after the second failure of a send (a 5xx, a network error); doubled each attempt, with jitter. */
  backoffMs: number;
  /**
   * Retry delay after a card's first failure, with jitter; default a quarter second (at most `backoffMs`).
   * Short: the limiter paces the retry with the rest of the tenant, so it only waits while the tenant is full.
   */
  firstRetryMs?: number;
  /**
   * A send the limiter gives a slot at most this far ahead waits for it in the worker, keeping its lease, instead
   * of going back to the queue: it comes on time for the slot. Back through the queue it came tens of ms late
   * when the workers were busy, and a slot its holder is late for lapses unused (a fan-out at the limit then
   * refused ever more sends). Left out (tests on a fake clock), every wait goes back to the queue.
   */
  waitForSlotMs?: number;
}

export const DEFAULT_DELIVERY: DeliveryOptions = { concurrency: 16, leaseMs: 60_000, maxAttempts: 5, backoffMs: 2_000, waitForSlotMs: 5_000 };

export type Outcome = 'sent' | 'waiting' | 'retrying' | 'dead';

/** What the metrics are told of each item: its outcome, a 429, or that it was taken again after its worker stopped mid-send. */
export type DeliveryEvent = Outcome | 'throttled' | 'resumed';

/** Where an item goes, as the metrics label it: a chat platform, mail, or `unknown` (no conversation to go to). */
export type DeliveryPlatform = Platform | 'mail' | 'unknown';

/** How long a pass trusts what it read of a team's run (removing the bot stops its sends): a pass can last a whole fan-out. */
const RUN_READ_FOR_MS = 10_000;
/** How long a pass with sends in flight waits at most before it looks at the queue again when nothing is due. */
const NEXT_DUE_WAIT_MS = 1_000;

/** Until the next item is due (as the outbox says now), at most NEXT_DUE_WAIT_MS. */
async function untilNextDue(deps: DeliveryDeps): Promise<void> {
  const next = await deps.outbox.nextDue();
  const delay = Math.min(NEXT_DUE_WAIT_MS, Math.max(0, (next ?? Number.POSITIVE_INFINITY) - deps.clock.now().getTime()));
  // Unref'd: a send finishing first ends the wait, and a timer left over must keep no process alive.
  await new Promise<void>((resolve) => setTimeout(resolve, delay).unref());
}

/**
 * One pass: keeps up to `concurrency` sends in flight, taking more as each finishes and as items come due
 * (a paced fan-out comes due one item after another, while earlier sends are still in flight), until nothing
 * is in flight or due (or `stopping()` says so); returns what happened.
 */
export async function deliverDue(deps: DeliveryDeps, options: DeliveryOptions = DEFAULT_DELIVERY, stopping: () => boolean = () => false): Promise<Record<Outcome, number>> {
  const counts: Record<Outcome, number> = { sent: 0, waiting: 0, retrying: 0, dead: 0 };
  const inFlight = new Set<Promise<void>>();
  /** The items being sent, by key: one whose lease ran out while it was sent comes back under a new lease, which is still ours. */
  const sending = new Map<string, LeasedItem>();
  const runsRead = new Map<string, { atMs: number; stopped: Promise<boolean> }>();
  const teamStopped: TeamStopped = (team) => {
    const teamKey = `${team.tenant}/${team.team}`;
    const now = deps.clock.now().getTime();
    let read = runsRead.get(teamKey);
    if (!read || now - read.atMs >= RUN_READ_FOR_MS) {
      read = { atMs: now, stopped: deps.store.getRun(team).then((run) => run?.active === false) };
      runsRead.set(teamKey, read);
    }
    return read.stopped;
  };
  // A send that finishes wakes the pass; one that fails (not a ChannelError: Redis gone) ends it with its error.
  let wake: (() => void) | undefined;
  const thrown: unknown[] = [];
  const renewal = keepLeases(deps, sending, options.leaseMs);
  try {
    for (;;) {
      if (thrown.length > 0) throw thrown[0];
      const free = options.concurrency - inFlight.size;
      // Stopping: take nothing more and let the sends in flight finish, so each is recorded as sent.
      const taking = free > 0 && !stopping();
      const items = taking ? await deps.outbox.take(deps.clock.now().getTime(), free, options.leaseMs) : [];
      for (const item of items) {
        // A send slower than its lease comes back from the queue while still ours: it is not sent again, and
        // its outcome is recorded under the new lease (the old one no longer holds). Once its outcome is being
        // recorded, an item taken again is new work (a retry come due), delivered as any other.
        const key = `${item.team.tenant}/${item.team.team}/${item.occurrenceId}/${item.recipient}`;
        const already = sending.get(key);
        if (already) {
          already.lease = item.lease;
          continue;
        }
        sending.set(key, item);
        const recording = () => {
          if (sending.get(key) === item) sending.delete(key);
        };
        const delivery: Promise<void> = deliverOne(deps, options, item, teamStopped, recording, stopping)
          .then(
            (outcome) => {
              if (outcome === 'throttled') counts.waiting++;
              else if (outcome !== 'superseded') counts[outcome]++;
            },
            (error: unknown) => void thrown.push(error),
          )
          .finally(() => {
            inFlight.delete(delivery);
            recording();
            wake?.();
          });
        inFlight.add(delivery);
      }
      if (inFlight.size === 0) break;
      const finished = new Promise<void>((resolve) => (wake = resolve));
      // Full (or stopping): wait for a send to finish. Nothing due right now: for that, or for the next item's time.
      if (!taking || inFlight.size >= options.concurrency) await finished;
      else if (items.length === 0) await Promise.race([finished, untilNextDue(deps)]);
    }
    if (thrown.length > 0) throw thrown[0];
    return counts;
  } finally {
    clearInterval(renewal);
  }
}

/**
 * Extends the leases of the items being sent every third of the lease, so a send that outlasts its lease (a slow
 * platform, a mail server scanning a message) keeps its item: only a dead worker's items come back after the
 * lease, and another replica never sends a live worker's item again. The timer keeps no process alive.
 */
function keepLeases(deps: DeliveryDeps, sending: ReadonlyMap<string, LeasedItem>, leaseMs: number): NodeJS.Timeout {
  let renewing = false;
  const timer = setInterval(() => {
    if (renewing || sending.size === 0) return;
    renewing = true;
    deps.outbox
      .renew([...sending.values()], leaseMs)
      .catch((error: unknown) => deps.logger.warn({ err: error }, 'could not extend the leases of the sends in flight'))
      .finally(() => (renewing = false));
  }, leaseMs / 3);
  timer.unref();
  return timer;
}
