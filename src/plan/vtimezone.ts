// A VTIMEZONE for an IANA zone, built from luxon's own zone data: the zone's offset changes from the autumn
// before `fromYear` to the end of `toYear`, so events in those years show at the team's wall-clock time
// in any calendar app, also one that does not know the zone's name.
import { DateTime } from 'luxon';

function offset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}

export function vtimezone(zone: string, fromYear: number, toYear: number): string {
  const lines = ['BEGIN:VTIMEZONE', `TZID:${zone}`];
  const start = DateTime.fromObject({ year: fromYear - 1, month: 9, day: 1 }, { zone: 'UTC' });
  const end = DateTime.fromObject({ year: toYear + 1, month: 1, day: 1 }, { zone: 'UTC' });
  let before = start.setZone(zone);
  const changes: Array<{ at: DateTime; from: number; to: number; dst: boolean }> = [];
  // Offsets change on the hour in every zone a school uses; an hourly walk over a year or two is a few ms.
  for (let t = start.plus({ hours: 1 }); t <= end; t = t.plus({ hours: 1 })) {
    const now = t.setZone(zone);
    if (now.offset !== before.offset) changes.push({ at: now, from: before.offset, to: now.offset, dst: now.isInDST });
    before = now;
  }
  if (changes.length === 0) {
    const o = offset(before.offset);
    lines.push('BEGIN:STANDARD', 'DTSTART:19700101T000000', `TZOFFSETFROM:${o}`, `TZOFFSETTO:${o}`, 'END:STANDARD');
  }
  for (const change of changes) {
    const kind = change.dst ? 'DAYLIGHT' : 'STANDARD';
    // DTSTART is the local time the change happens at, read in the offset before it.
    const local = change.at.toUTC().plus({ minutes: change.from }).toFormat("yyyyMMdd'T'HHmmss");
    lines.push(`BEGIN:${kind}`, `DTSTART:${local}`, `TZOFFSETFROM:${offset(change.from)}`, `TZOFFSETTO:${offset(change.to)}`, `END:${kind}`);
  }
  lines.push('END:VTIMEZONE');
  return lines.join('\r\n');
}
