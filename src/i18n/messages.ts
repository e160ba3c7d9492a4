// The shape every locale fills in. TypeScript checks that da, sv and en are complete.
import type { ErasureReport } from '../app/ports.ts';
import type { BreakKind } from '../domain/calendar/calendar.ts';
import type { Locale, Role } from '../domain/programme/schema.ts';
import { da } from './da.ts';
import { en } from './en.ts';
import { sv } from './sv.ts';

export type { BreakKind };

export interface Messages {
  /** The Intl locale for numbers, dates and times (decimal comma, "man. 7. sep.", "13.00" in Danish). */
  intlLocale: string;
  cli: {
    usage: string;
    cardUsage: string;
    unknownCard(name: string, choices: string[]): string;
    cardDataUnreadable(file: string, reason: string): string;
    cardDataInvalid(file: string, card: string, problems: string[]): string;
    exportUsage: string;
    eraseUsage: string;
    unknownTeam(team: string, choices: string[]): string;
    ambiguousTeam(team: string, tenants: string[]): string;
    erased(user: string, team: string, report: ErasureReport): string;
    storeUnavailable(reason: string): string;
    statusUsage: string;
    statusPending(count: number): string;
    statusNoDeadLetters: string;
    statusDeadLetters(count: number): string;
    recipientPerson(userId: string): string;
    recipientChannel: string;
    recipientMail(address: string): string;
    recipientNotKept: string;
    resendUsage: string;
    resent(count: number): string;
    validateUsage: string;
    planUsage: string;
    validOk(file: string, id: string, activities: number): string;
    unknownCommand(command: string, choices: string[]): string;
    unknownOption(option: string, choices: string[]): string;
    missingValue(option: string): string;
    unknownProgramme(id: string, choices: string[]): string;
    badDate(value: string): string;
    unknownZone(value: string): string;
    badChoice(option: string, value: string, choices: string[]): string;
    badBreaks(value: string): string;
    badClosed(value: string): string;
    badFix(value: string): string;
    unknownOccurrence(id: string, validIds: string[]): string;
    badSetFormat(value: string): string;
    unknownSetting(key: string, choices: string[]): string;
    badSettingValue(key: string, value: string, choices: string[]): string;
    programmesHeader: [id: string, title: string, length: string];
    months(n: number): string;
  };
  plan: {
    heading(title: string, start: string, timezone: string): string;
    settings: string;
    hours: string;
    hoursLine(role: string, hours: number): string;
    week: string;
    warnings: string;
    noOccurrences: string;
    everyWorkingDay(count: number, time: string): string;
    opensFor(days: number): string;
    anonymous: string;
    /** The first card an occurrence sends (its notice ahead, or its own card), beside it in the text plan. */
    firstSend(card: string, at: string): string;
    /** The reminders of a questionnaire or reflection to those who have not answered, at these days and times. */
    answerReminders(at: string[]): string;
    /** A day and a time of day, both already formatted in the locale ("man. 7. sep." and "13.00"). */
    dayAt(day: string, time: string): string;
    /** A day and a span of time on it. */
    dayAtSpan(day: string, from: string, to: string): string;
    breaks: Record<BreakKind, string>;
    roles: Record<Role, string>;
  };
  warnings: {
    beforeRunStart(activity: string, wanted: string, placed: string): string;
    fewerDaysBefore(activity: string, days: number, target: string): string;
    noWorkingDay(activity: string, from: string, to: string): string;
    termOverrun(activity: string, week: number): string;
    noVariant(activity: string): string;
    nothingBetween(activity: string, after: string, before: string): string;
    acrossSummer(activity: string, from: string, to: string): string;
    afterSummer(activity: string, date: string): string;
    orderMoved(activity: string, after: string, from: string, to: string, otherDate: string): string;
    orderBroken(activity: string, relation: 'after' | 'before', other: string, date: string, otherDate: string): string;
    notSameSchoolYear(activity: string, other: string, date: string, otherDate: string): string;
    unknownFixed(id: string): string;
    badFixed(id: string, value: string): string;
    punchCardExceeded(planned: number, budget: number): string;
  };
}

const MESSAGES: Record<Locale, Messages> = { da, sv, en };

export function messagesFor(locale: Locale): Messages {
  return MESSAGES[locale];
}
