import { DateTime } from 'luxon';
import type { Locale, Role } from '../../domain/programme/schema.ts';
import type { Member } from '../ports.ts';

/** What set-up offers and assumes when a team has not chosen: pure data and small rules, no platform. */

export const SETUP_COUNTRIES = ['DK', 'SE'] as const;
export type SetupCountry = (typeof SETUP_COUNTRIES)[number];

/** The zone a team in the country most likely keeps (Input.Text's default). */
export const COUNTRY_ZONE: Record<SetupCountry, string> = { DK: 'Europe/Copenhagen', SE: 'Europe/Stockholm' };
/** The cards' language when the team did not choose one. */
export const COUNTRY_LOCALE: Record<SetupCountry, Locale> = { DK: 'da', SE: 'sv' };

/** Members whose role the set-up card asks for; the rest take part as staff (a card of 30 inputs is long enough). */
export const MEMBERS_ON_CARD = 30;

export const isCountry = (value: string): value is SetupCountry => (SETUP_COUNTRIES as readonly string[]).includes(value);

/** "da-DK", "sv-SE", "en-GB" → the card language; anything else (or nothing) Danish, the bot's default. */
export function localeOf(platformLocale: string | undefined): Locale {
  const language = (platformLocale ?? '').slice(0, 2).toLowerCase();
  return language === 'sv' || language === 'en' ? language : 'da';
}

/** The Monday after today in the zone: a programme starts at the beginning of a week. */
export function nextMonday(now: Date, timeZone: string): string {
  return DateTime.fromJSDate(now, { zone: timeZone }).startOf('week').plus({ weeks: 1 }).toISODate()!;
}

export { occurrenceTitle } from '../../domain/programme/activities.ts';

const LEADS: readonly Role[] = ['leader', 'facilitator'];
export const hasLeadRole = (roles: readonly Role[]) => roles.some((r) => LEADS.includes(r));

/**
 * The members as the set-up card lists them: the installer first, then those who already have a
 * role other than staff, then the rest by name; `shown` fit on the card, `more` take part as staff.
 */
export function membersForCard(members: Member[], installedBy: string | undefined): { shown: Member[]; more: number } {
  const rank = (m: Member) => (m.userId === installedBy ? 0 : m.roles.some((r) => r !== 'staff') ? 1 : 2);
  const sorted = [...members].sort((a, b) => rank(a) - rank(b) || (a.name ?? a.userId).localeCompare(b.name ?? b.userId, 'da'));
  return { shown: sorted.slice(0, MEMBERS_ON_CARD), more: Math.max(0, sorted.length - MEMBERS_ON_CARD) };
}
