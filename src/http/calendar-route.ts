// GET /calendar/<token>.ics: one occurrence of a team's run as an iCalendar event, for the "add to calendar"
// button of notices and reminders. The token (app/calendar-link.ts) names the team and occurrence and is
// signed, so a forged or guessed one gets a 404; the event holds the programme's content, never a person.
import type { Express, Request, Response } from 'express';
import { verifyCalendarToken } from '../app/calendar-link.ts';
import type { Logger, RunStore } from '../app/ports.ts';
import { planOf } from '../app/run-plan.ts';
import type { Programme } from '../domain/programme/schema.ts';
import { planToIcs } from '../plan/ics.ts';

export interface CalendarRouteDeps {
  store: Pick<RunStore, 'getRun'>;
  programmes: ReadonlyMap<string, Programme>;
  /** The deployment's secret (ANONYMITY_SECRET): the links' key is derived from it. */
  secret: string;
  logger: Logger;
}

/** The same few words whichever language the team speaks: the link may be opened by anyone. */
const NOT_FOUND = 'Kalenderfilen findes ikke · Kalenderfilen finns inte · Calendar file not found\n';

export function calendarRoute(deps: CalendarRouteDeps): (app: Express) => void {
  const notFound = (res: Response, reason: string) => {
    deps.logger.warn({ reason }, 'calendar link refused');
    res.status(404).type('text/plain; charset=utf-8').send(NOT_FOUND);
  };
  const handler = async (req: Request, res: Response) => {
    const file = String(req.params['file'] ?? '');
    if (!file.endsWith('.ics')) return notFound(res, 'not an .ics name');
    const target = verifyCalendarToken(deps.secret, file.slice(0, -'.ics'.length));
    if (!target) return notFound(res, 'unknown or forged token');
    const run = await deps.store.getRun(target.team);
    const programme = run && deps.programmes.get(run.programmeId);
    if (!run || !programme) return notFound(res, 'no such run');
    const plan = planOf(run, programme);
    const occurrence = plan.occurrences.find((o) => o.id === target.occurrenceId);
    if (!occurrence) return notFound(res, 'no such occurrence in the run');
    const ics = planToIcs({ ...plan, occurrences: [occurrence] }, programme, run.locale, { timeZone: run.timeZone });
    res.status(200).type('text/calendar; charset=utf-8').set('Content-Disposition', `attachment; filename="${occurrence.activityId}.ics"`).set('Cache-Control', 'private, max-age=300').send(ics);
  };
  return (app) => {
    app.get('/calendar/:file', (req, res, next) => {
      handler(req, res).catch(next);
    });
  };
}
