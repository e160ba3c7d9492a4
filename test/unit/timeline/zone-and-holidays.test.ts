// What makes a plan quick to compute without changing it: the zone that remembers its offsets per day gives
// luxon's own offset at every instant, across changes to and from summer time (also a zone that changes at
// half past), and the holidays the build records are date-holidays' own, used only for the version recorded.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime, IANAZone } from 'luxon';
import { afterAll, describe, expect, it } from 'vitest';
import { computeYear, readRecord, RECORDED_YEARS, recordHolidays } from '../../../src/domain/calendar/holidays.ts';
import { zoneNamed } from '../../../src/domain/calendar/zone.ts';

const dir = mkdtempSync(join(tmpdir(), 'sparring-holidays-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the zone a calendar creates its dates in', () => {
  // Lord Howe moves by 30 minutes at 02:00 local time, which is half past an hour in UTC.
  it.each(['Europe/Copenhagen', 'Europe/Stockholm', 'Australia/Lord_Howe', 'America/St_Johns'])('%s: luxon’s offset at every quarter hour of 2026', (name) => {
    const own = zoneNamed(name);
    const luxon = IANAZone.create(name);
    const from = Date.UTC(2026, 0, 1);
    const wrong: string[] = [];
    for (let ts = from; ts < Date.UTC(2027, 0, 1); ts += 15 * 60_000) if (own.offset(ts) !== luxon.offset(ts)) wrong.push(new Date(ts).toISOString());
    expect(wrong).toEqual([]);
  });

  it('keeps 09:00 at 09:00 across the change to summer time, and equals luxon’s zone', () => {
    const zone = zoneNamed('Europe/Copenhagen');
    const friday = DateTime.fromISO('2026-03-27T09:00', { zone });
    expect(friday.plus({ days: 3 }).toISO()).toBe('2026-03-30T09:00:00.000+02:00');
    expect(zone.equals(IANAZone.create('Europe/Copenhagen'))).toBe(true);
  });
});

describe('the holidays the build records', () => {
  it('are date-holidays’ own for every recorded year of both countries', () => {
    const file = join(dir, 'holidays.json');
    writeFileSync(file, recordHolidays());
    const record = readRecord(file);
    expect(record).not.toBeNull();
    for (const country of ['DK', 'SE'] as const) {
      for (let year = RECORDED_YEARS.from; year <= RECORDED_YEARS.to; year++) expect(record!.years[country][year]).toEqual(computeYear(country, year));
    }
    expect(record!.years.DK[2026]).toEqual({ closed: expect.arrayContaining(['2026-04-05', '2026-12-25']), easter: '2026-04-05' });
  });

  it('are not used when recorded from another version of date-holidays, nor when there is no record', () => {
    const file = join(dir, 'other-version.json');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(recordHolidays()), version: '0.0.1' }));
    expect(readRecord(file)).toBeNull();
    expect(readRecord(join(dir, 'none.json'))).toBeNull();
  });
});
