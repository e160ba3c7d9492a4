import { IANAZone } from 'luxon';

const DAY_MS = 86_400_000;
/** Days remembered per zone before the memory starts afresh: a run spans a few hundred. */
const MAX_DAYS = 10_000;

/**
 * An IANA zone that remembers its UTC offset per (UTC) day. Luxon asks Intl for the offset on every date it
 * creates or moves (`plus`, `set`, `startOf`): some 30,000 times for one run's plan, half of a cold plan's
 * CPU. A day whose first and last millisecond have the same offset has it throughout (no zone changes its
 * offset and back within a day); a day with a change in it is asked of Intl at every instant, as luxon
 * itself does. Equal to luxon's own zone of that name.
 */
class DailyOffsetZone extends IANAZone {
  readonly #days = new Map<number, number | null>();

  override offset(ts: number): number {
    const day = Math.floor(ts / DAY_MS);
    let known = this.#days.get(day);
    if (known === undefined) {
      if (this.#days.size >= MAX_DAYS) this.#days.clear();
      const first = super.offset(day * DAY_MS);
      known = first === super.offset(day * DAY_MS + DAY_MS - 1) ? first : null;
      this.#days.set(day, known);
    }
    return known ?? super.offset(ts);
  }
}

const zones = new Map<string, IANAZone>();

/** One remembering zone per IANA name, for calendars and plans to create their dates in. */
export function zoneNamed(name: string): IANAZone {
  let zone = zones.get(name);
  if (!zone) {
    zone = new DailyOffsetZone(name);
    zones.set(name, zone);
  }
  return zone;
}
