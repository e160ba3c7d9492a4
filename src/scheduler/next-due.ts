// When a run next has something for the scheduler: what its due-time index holds (see DueIndex).
import { runSends } from '../app/occurrence-card.ts';
import type { Run, Snooze } from '../app/ports.ts';
import type { Programme } from '../domain/programme/schema.ts';
import type { Plan } from '../domain/timeline/types.ts';
import { nextHoursDue } from './book-hours.ts';
import { nextDigestDue } from './digests.ts';
import { nextSnoozeDue } from './snoozes.ts';

/**
 * The earliest instant (ms) at which a tick would do anything for the run, given what has fired and the snoozes
 * still stored: its first unfired send, digest, hours booking or warning, or snooze; undefined when nothing is
 * left (a finished run). Each part mirrors the pass that fires it (tick.ts, digests.ts, book-hours.ts,
 * snoozes.ts). Anything unfired counts, even if its time has passed (another replica holds its claim, or its
 * lease ran out mid-way): the run then stays due and the next tick tries again. So the answer can be too early,
 * which costs one look at the run, but never too late, which would skip a send.
 */
export function nextDueOf(team: { run: Run; programme: Programme; plan: Plan }, fired: ReadonlySet<string>, snoozes: readonly Snooze[], now: Date): number | undefined {
  const { run, programme, plan } = team;
  let next = Infinity;
  for (const send of runSends(run, programme, plan)) if (!fired.has(send.key)) next = Math.min(next, Date.parse(send.at));
  for (const time of [nextDigestDue(run, programme, plan, fired), nextHoursDue(team, fired, now), nextSnoozeDue(snoozes)]) {
    if (time !== undefined) next = Math.min(next, time);
  }
  return next === Infinity ? undefined : next;
}
