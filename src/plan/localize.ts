// Turns a plan's language-neutral parts (titles with placeholders, warning codes) into one locale's text.
import { occurrenceTitle } from '../domain/programme/activities.ts';
import type { Activity, Locale } from '../domain/programme/schema.ts';
import type { Moment, PlanWarning } from '../domain/timeline/types.ts';
import { messagesFor } from '../i18n/messages.ts';

export { occurrenceTitle };

/** An activity's title in a warning: a module part's own part and moments, or all of them ("Del 1–8, moment A–D"). */
function activityName(activity: Activity, locale: Locale, part?: number, moments?: Moment[]): string {
  if (part !== undefined) return occurrenceTitle(activity, { part, moments }, locale);
  const parts = activity.timing.type === 'termWeeks' ? Math.max(...activity.timing.variants.map((v) => v.parts)) : 1;
  return activity.title[locale].replaceAll('{part}', parts > 1 ? `1–${parts}` : '1').replaceAll('{moments}', 'A–D');
}

export function warningText(warning: PlanWarning, activities: Map<string, Activity>, locale: Locale): string {
  const w = messagesFor(locale).warnings;
  const name = (id: string, part?: number, moments?: Moment[]) => {
    const activity = activities.get(id);
    return activity ? activityName(activity, locale, part, moments) : id;
  };
  // An occurrence id is `activity`, `activity:N` or, for a module part, `activity:<part><moments>` (`del:8ab`).
  const occurrenceName = (occurrenceId: string) => {
    const [activityId = occurrenceId, key = ''] = occurrenceId.split(':');
    const part = /^(\d+)([a-d]+)$/.exec(key);
    if (!activities.has(activityId)) return occurrenceId;
    return part ? name(activityId, Number(part[1]), [...part[2]!.toUpperCase()] as Moment[]) : name(activityId);
  };
  switch (warning.code) {
    case 'beforeRunStart':
      return w.beforeRunStart(name(warning.activityId), warning.wanted, warning.placed);
    case 'fewerDaysBefore':
      return w.fewerDaysBefore(name(warning.activityId), warning.days, occurrenceName(warning.target));
    case 'noWorkingDay':
      return w.noWorkingDay(name(warning.activityId), warning.from, warning.to);
    case 'termOverrun':
      return w.termOverrun(name(warning.activityId, warning.part, warning.moments), warning.week);
    case 'noVariant':
      return w.noVariant(name(warning.activityId));
    case 'nothingBetween':
      return w.nothingBetween(name(warning.activityId), name(warning.after), name(warning.before));
    case 'acrossSummer':
      return w.acrossSummer(name(warning.activityId, warning.part, warning.moments), warning.from, warning.to);
    case 'afterSummer':
      return w.afterSummer(name(warning.activityId, warning.part, warning.moments), warning.date);
    case 'orderMoved':
      return w.orderMoved(name(warning.activityId), name(warning.after), warning.from, warning.to, warning.otherDate);
    case 'orderBroken':
      return w.orderBroken(name(warning.activityId, warning.part, warning.moments), warning.relation, name(warning.other, warning.otherPart, warning.otherMoments), warning.date, warning.otherDate);
    case 'notSameSchoolYear':
      return w.notSameSchoolYear(name(warning.activityId), name(warning.other), warning.date, warning.otherDate);
    case 'unknownFixed':
      return w.unknownFixed(warning.id);
    case 'badFixed':
      return w.badFixed(warning.id, warning.value);
    case 'punchCardExceeded':
      return w.punchCardExceeded(warning.planned, warning.budget);
  }
}
