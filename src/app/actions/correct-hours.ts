import { parseHours } from '../../domain/hours/correction.ts';
import { errorReply, logContext } from '../context.ts';
import { hoursReply } from '../commands/hours.ts';
import type { PersonActionSpec } from './action.ts';

/** The input of each booking on the hours card: `hours:<occurrence id>`. */
const PREFIX = 'hours:';

/**
 * The hours card's save: the person's own bookings as they corrected them. Every value is read first; one
 * that is not hours (0–24, "1,5" or "1.5") refuses the whole save, so nothing changes. An input for an
 * occurrence the person has no booking of is ignored: only a booking can be corrected.
 */
export const correctHours: PersonActionSpec = {
  card: 'hours',
  verbs: ['correct'],
  async run({ deps, actor, team, inputs }) {
    const typed = Object.entries(inputs).flatMap(([key, value]) => (key.startsWith(PREFIX) && typeof value === 'string' ? [[key.slice(PREFIX.length), value] as const] : []));
    const values = typed.map(([occurrenceId, text]) => ({ occurrenceId, hours: parseHours(text) }));
    if (values.some((v) => v.hours === undefined)) {
      deps.logger.warn({ ...logContext(actor), reason: 'not hours', fields: values.filter((v) => v.hours === undefined).length }, 'card action refused');
      return errorReply('badHours');
    }
    const mine = new Map((await deps.store.hours(actor.team)).filter((e) => e.userId === actor.user.userId).map((e) => [e.occurrenceId, e]));
    const at = deps.clock.now().toISOString();
    let changed = 0;
    for (const { occurrenceId, hours } of values) {
      const booked = mine.get(occurrenceId);
      if (!booked || booked.hours === hours) continue;
      if (await deps.store.correctHours(actor.team, { userId: actor.user.userId, occurrenceId, hours: hours!, at })) changed++;
    }
    deps.logger.info({ ...logContext(actor), changed }, 'hours corrected');
    return hoursReply(deps, team, actor.user.userId, true);
  },
};
