// GET /calendar/<token>.ics: a good token gets the occurrence as a calendar event, a forged one a 404.
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarToken, calendarUrl } from '../../src/app/calendar-link.ts';
import type { TeamRef } from '../../src/app/ports.ts';
import { planOf } from '../../src/app/run-plan.ts';
import { calendarRoute } from '../../src/http/calendar-route.ts';
import { listen } from '../../src/http/listen.ts';
import { createApp } from '../../src/http/server.ts';
import { loadProgrammes } from '../../src/programmes/load.ts';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.ts';
import { memoryLogger } from '../support/fakes.ts';
import { aRun } from '../support/plans.ts';
import { countingRandom } from '../support/stores.ts';

const SECRET = 'calendar-test-secret';
const TEAM: TeamRef = { tenant: 'kolding', team: 'skovbo' };
const OTHER: TeamRef = { tenant: 'kolding', team: 'andet-team' };
const programmes = loadProgrammes();
const run = aRun({
  team: TEAM,
  programmeId: 'kolding-laeringssamtale',
  start: '2026-08-17',
  members: [
    { userId: '29:leder', name: 'Lene Bach', roles: ['leader'] },
    { userId: '29:s1', name: 'Søren Holt', roles: ['staff'] },
  ],
});

describe('the calendar links', () => {
  const store = new EmbeddedStore(undefined, countingRandom());
  const logger = memoryLogger();
  let server: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    await store.saveRun(run);
    server = await listen(createApp({ programmes, routes: [calendarRoute({ store, programmes, secret: SECRET, logger })], logger }), 0, '127.0.0.1');
  });
  afterAll(async () => {
    await server.close();
    await store.close();
  });

  it('serves the occurrence as a valid iCalendar event: title, start, end, description, and no person', async () => {
    const occurrence = planOf(run, programmes.get('kolding-laeringssamtale')!).occurrences.find((o) => o.id === 'laeringsworkshop')!;
    const url = calendarUrl({ baseUrl: server.url, secret: SECRET }, { team: TEAM, occurrenceId: 'laeringsworkshop' });
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/calendar/);
    const text = await res.text();
    const calendar = new ICAL.Component(ICAL.parse(text));
    // In the team's zone, with the zone's definition: 09:00 Copenhagen time.
    const zone = calendar.getFirstSubcomponent('vtimezone')!;
    expect(zone.getFirstPropertyValue('tzid')).toBe('Europe/Copenhagen');
    ICAL.TimezoneService.register(zone);
    expect(text).toContain('DTSTART;TZID=Europe/Copenhagen:20261123T090000');
    const events = calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event!.summary).toBe('Læringsworkshop');
    expect(event!.startDate.toJSDate().toISOString()).toBe(new Date(occurrence.start).toISOString());
    expect(event!.endDate.toJSDate().toISOString()).toBe(new Date(occurrence.end).toISOString());
    expect(event!.description).toContain('Skabe rum for struktureret');
    for (const personal of ['Lene', 'Søren', '29:leder', '29:s1']) expect(text).not.toContain(personal);
  });

  it('answers a forged, altered or unknown token with a short 404, and logs it', async () => {
    const good = calendarToken(SECRET, { team: TEAM, occurrenceId: 'laeringsworkshop' });
    const forged = calendarToken('another-secret', { team: OTHER, occurrenceId: 'laeringsworkshop' });
    const [payload, mac] = good.split('.') as [string, string];
    const altered = `${Buffer.from(JSON.stringify([TEAM.tenant, TEAM.team, 'datasparring'])).toString('base64url')}.${mac}`;
    const otherTeam = calendarToken(SECRET, { team: OTHER, occurrenceId: 'laeringsworkshop' });
    const noOccurrence = calendarToken(SECRET, { team: TEAM, occurrenceId: 'findes-ikke' });
    for (const token of [forged, altered, `${payload}.AAAAAAAAAAAAAAAAAAAAAA`, 'nonsense', otherTeam, noOccurrence]) {
      const res = await fetch(`${server.url}/calendar/${token}.ics`);
      expect(res.status, token).toBe(404);
      expect(await res.text()).toMatch(/Calendar file not found/);
    }
    expect((await fetch(`${server.url}/calendar/${good}`)).status).toBe(404); // no .ics
    expect(logger.entries.filter((e) => e.message === 'calendar link refused').length).toBeGreaterThanOrEqual(7);
    expect(JSON.stringify(logger.entries)).not.toContain(good);
  });
});
