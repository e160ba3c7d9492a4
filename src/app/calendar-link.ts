// The "add to calendar" links of notices and reminders: `<base>/calendar/<token>.ics`, where the token names
// a team's occurrence and carries an HMAC over it, so nobody can guess or enumerate another team's events.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { TeamRef } from './ports.ts';

export interface CalendarLinks {
  /** Where the server is reached, e.g. PUBLIC_URL; a link is made only when this is known. */
  baseUrl: string;
  /** The deployment's secret (ANONYMITY_SECRET); the token key is derived from it, never the secret itself. */
  secret: string;
}

export interface CalendarTarget {
  team: TeamRef;
  occurrenceId: string;
}

const PURPOSE = 'sparringsbot/calendar-link/1';

function keyOf(secret: string): Buffer {
  return createHmac('sha256', secret).update(PURPOSE).digest();
}

function signature(secret: string, payload: string): string {
  // 128 bits of the HMAC: ample against guessing, and a shorter link.
  return createHmac('sha256', keyOf(secret)).update(payload).digest().subarray(0, 16).toString('base64url');
}

export function calendarToken(secret: string, target: CalendarTarget): string {
  const payload = Buffer.from(JSON.stringify([target.team.tenant, target.team.team, target.occurrenceId])).toString('base64url');
  return `${payload}.${signature(secret, payload)}`;
}

/** The team and occurrence a token names, or undefined for an unknown or forged one. */
export function verifyCalendarToken(secret: string, token: string): CalendarTarget | undefined {
  const match = /^([A-Za-z0-9_-]{1,2000})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!match) return undefined;
  const [, payload, given] = match as unknown as [string, string, string];
  const expected = Buffer.from(signature(secret, payload));
  if (expected.length !== given.length || !timingSafeEqual(expected, Buffer.from(given))) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed.length !== 3 || !parsed.every((p) => typeof p === 'string')) return undefined;
    const [tenant, team, occurrenceId] = parsed as [string, string, string];
    return { team: { tenant, team }, occurrenceId };
  } catch {
    return undefined;
  }
}

export function calendarUrl(links: CalendarLinks, target: CalendarTarget): string {
  return `${links.baseUrl.replace(/\/+$/, '')}/calendar/${calendarToken(links.secret, target)}.ics`;
}
