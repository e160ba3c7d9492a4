// Turns a plan's language-neutral parts (titles with placeholders, warning codes) into one locale's text.
import { occurrenceTitle } from '../domain/programme/activities.ts';
import type { Activity, Locale } from '../domain/programme/schema.ts';
import type { PlanWarning } from '../domain/timeline/types.ts';
import { messagesFor } from '../i18n/messages.ts';

export { occurrenceTitle };

export function warningText(warning: PlanWarning, activities: Map<string, Activity>, locale: Locale): string {
  const w = messagesFor(locale).warnings;
  const name = (id: string) => activities.get(id)?.title[locale] ?? id;
  switch (warning.code) {
    case 'beforeRunStart':
      return w.beforeRunStart(name(warning.activityId), warning.wanted, warning.placed);
    case 'fewerDaysBefore':
      return w.fewerDaysBefore(name(warning.activityId), warning.days, warning.target);
    case 'noWorkingDay':
      return w.noWorkingDay(name(warning.activityId), warning.from, warning.to);
    case 'termOverrun':
      return w.termOverrun(name(warning.activityId), warning.week);
    case 'noVariant':
      return w.noVariant(name(warning.activityId));
    case 'nothingBetween':
      return w.nothingBetween(name(warning.activityId), name(warning.after), name(warning.before));
    case 'punchCardExceeded':
      return w.punchCardExceeded(warning.planned, warning.budget);
  }
}
