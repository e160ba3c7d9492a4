// Timing rules other than school-term weeks: each turns a rule into the local start times of its occurrences.
import { DateTime } from 'luxon';
import { nextWorkingDay, previousWorkingDay, schoolYearOf, type Calendar } from '../calendar/calendar.ts';
import type { OnClosed, TimingRule } from '../programme/schema.ts';
import { at, hhmm, weekdayNumber } from './local-time.ts';
import { termWeekSlots } from './term-weeks.ts';
import type { Occurrence, RuleContext, Slot } from './types.ts';

type RuleOf<T extends TimingRule['type']> = Extract<TimingRule, { type: T }>;

export function slotsFor(rule: TimingRule, ctx: RuleContext, calendar: Calendar): Slot[] {
  switch (rule.type) {
    case 'offset':
      return offsetSlots(rule, ctx, calendar);
    case 'workingDays':
      return workingDaySlots(rule, ctx, calendar);
    case 'monthly':
      return monthlySlots(rule, ctx, calendar);
    case 'inMonth':
      return inMonthSlots(rule, ctx, calendar);
    case 'before':
      return beforeSlots(rule, ctx, calendar);
    case 'after':
      return afterSlots(rule, ctx, calendar);
    case 'between':
      return betweenSlots(rule, ctx, calendar);
    case 'termWeeks':
      return termWeekSlots(rule, ctx, calendar);
  }
}

/** Moves a day to a working day unless the activity may fall on any day. */
function workingDayFrom(day: DateTime, ctx: RuleContext, calendar: Calendar, direction: 'next' | 'previous' = 'next') {
  if (ctx.activity.allowNonWorkingDays) return day;
  return direction === 'next' ? nextWorkingDay(calendar, day) : previousWorkingDay(calendar, day);
}

/**
 * A day timed for its weekday, moved off a closed day as the rule says (schema `onClosed`): to the same
 * weekday of the next open week, or to a later working day of the same week; never to an earlier day.
 */
export function openWeekday(day: DateTime, onClosed: OnClosed, ctx: Pick<RuleContext, 'activity'>, calendar: Calendar): DateTime {
  if (ctx.activity.allowNonWorkingDays || calendar.isWorkingDay(day)) return day;
  if (onClosed === 'nextDay') for (let d = day.plus({ days: 1 }); d.weekday > day.weekday; d = d.plus({ days: 1 })) if (calendar.isWorkingDay(d)) return d;
  for (let d = day.plus({ weeks: 1 }), i = 0; i < 60; i++, d = d.plus({ weeks: 1 })) if (calendar.isWorkingDay(d)) return d;
  throw new RangeError(`no open ${day.weekdayLong} within a year of ${day.toISODate()}`);
}

function offsetSlots(rule: RuleOf<'offset'>, ctx: RuleContext, calendar: Calendar): Slot[] {
  let day = ctx.runStart.plus({ weeks: rule.weeks, days: rule.days });
  if (!rule.weekday) return [{ start: at(workingDayFrom(day, ctx, calendar), rule.time) }];
  day = day.set({ weekday: weekdayNumber(rule.weekday) });
  if (day < ctx.runStart) day = day.plus({ weeks: 1 });
  return [{ start: at(openWeekday(day, rule.onClosed ?? 'nextWeek', ctx, calendar), rule.time) }];
}

/** Every working day for N weeks; break weeks do not use up the N weeks. */
function workingDaySlots(rule: RuleOf<'workingDays'>, ctx: RuleContext, calendar: Calendar): Slot[] {
  const base = rule.after ? lastOf(ctx, rule.after) : ctx.runStart;
  const first = base.plus({ weeks: rule.fromWeeks, days: rule.fromDays });
  const slots: Slot[] = [];
  let remaining = rule.forWeeks * 7;
  let day = first;
  // Compared as instants: a diff in years for every day was a fifth of planning a run.
  const giveUp = first.plus({ years: 3 });
  for (; remaining > 0 && day < giveUp; day = day.plus({ days: 1 })) {
    if (calendar.isBreakWeek(day)) continue;
    remaining--;
    if (ctx.activity.allowNonWorkingDays || calendar.isWorkingDay(day)) slots.push({ start: at(day, rule.time) });
  }
  if (slots.length === 0) ctx.warn({ code: 'noWorkingDay', activityId: ctx.activity.id, from: first.toISODate()!, to: day.minus({ days: 1 }).toISODate()! });
  return slots;
}

function monthlySlots(rule: RuleOf<'monthly'>, ctx: RuleContext, calendar: Calendar): Slot[] {
  const from = ctx.runStart.plus({ weeks: rule.fromWeeks });
  const until = ctx.runStart.plus({ weeks: rule.untilWeeks });
  const weekday = weekdayNumber(rule.weekday);
  const slots: Slot[] = [];
  for (let month = from.startOf('month'); month <= until; month = month.plus({ months: 1 })) {
    const day = nthWeekdayOfMonth(month, weekday, rule.nth);
    if (day < from || day > until) continue;
    const moved = openWeekday(day, rule.onClosed ?? 'nextWeek', ctx, calendar);
    // A meeting pushed into next month by a break would crowd next month's meeting: skip it, and say so.
    if (!moved.hasSame(day, 'month')) {
      ctx.warn({ code: 'noWorkingDay', activityId: ctx.activity.id, from: day.toISODate()!, to: month.endOf('month').toISODate()! });
      continue;
    }
    slots.push({ start: at(moved, rule.time) });
  }
  return slots;
}

function nthWeekdayOfMonth(month: DateTime, weekday: number, nth: number): DateTime {
  if (nth === -1) {
    const last = month.endOf('month').startOf('day');
    return last.minus({ days: (last.weekday - weekday + 7) % 7 });
  }
  const first = month.startOf('month');
  return first.plus({ days: (weekday - first.weekday + 7) % 7, weeks: nth - 1 });
}

/** Month M of the run's school year (July to June). Anywhere in M is on time, so a start within M is fine. */
function inMonthSlots(rule: RuleOf<'inMonth'>, ctx: RuleContext, calendar: Calendar): Slot[] {
  const schoolYear = schoolYearOf(ctx.runStart);
  const year = rule.month >= 7 ? schoolYear : schoolYear + 1;
  let day: DateTime = DateTime.fromObject({ year, month: rule.month, day: rule.day }, { zone: calendar.zone });
  if (day < ctx.runStart) {
    const sameMonth = day.hasSame(ctx.runStart, 'month');
    if (!sameMonth) {
      const placed = workingDayFrom(ctx.runStart, ctx, calendar);
      ctx.warn({ code: 'beforeRunStart', activityId: ctx.activity.id, wanted: day.toISODate()!, placed: placed.toISODate()! });
    }
    day = ctx.runStart;
  }
  return [{ start: at(workingDayFrom(day, ctx, calendar), rule.time) }];
}

function beforeSlots(rule: RuleOf<'before'>, ctx: RuleContext, calendar: Calendar): Slot[] {
  const targets = placedOf(ctx, rule.activity);
  return targets.map((target, i) => {
    const targetStart = local(target.start, calendar);
    let day = workingDayFrom(targetStart.minus({ days: rule.days }), ctx, calendar, 'previous');
    if (day < ctx.runStart) {
      ctx.warn({ code: 'fewerDaysBefore', activityId: ctx.activity.id, days: rule.days, target: target.id });
      day = workingDayFrom(ctx.runStart, ctx, calendar);
    }
    return { start: at(day, rule.time ?? hhmm(targetStart)), key: targets.length > 1 ? String(i + 1) : undefined };
  });
}

function afterSlots(rule: RuleOf<'after'>, ctx: RuleContext, calendar: Calendar): Slot[] {
  const all = placedOf(ctx, rule.activity);
  const targets = rule.of === 'last' ? all.slice(-1) : all;
  return targets.map((target, i) => {
    const anchor = local(rule.anchor === 'start' ? target.start : target.end, calendar);
    const day = workingDayFrom(anchor.plus({ days: rule.days }), ctx, calendar);
    return { start: at(day, rule.time ?? hhmm(anchor)), key: targets.length > 1 ? String(i + 1) : undefined };
  });
}

function betweenSlots(rule: RuleOf<'between'>, ctx: RuleContext, calendar: Calendar): Slot[] {
  const afters = placedOf(ctx, rule.after);
  const befores = placedOf(ctx, rule.before);
  if (afters.length !== befores.length) ctx.warn({ code: 'nothingBetween', activityId: ctx.activity.id, after: rule.after, before: rule.before });
  const count = Math.min(afters.length, befores.length);
  const slots: Slot[] = [];
  for (let i = 0; i < count; i++) {
    const from = local(afters[i]!.start, calendar);
    const to = local(befores[i]!.start, calendar);
    const point = from.plus({ milliseconds: to.diff(from).toMillis() * rule.at });
    let day = workingDayFrom(point, ctx, calendar);
    if (day >= to.startOf('day')) day = workingDayFrom(point, ctx, calendar, 'previous');
    slots.push({ start: at(day, rule.time), key: count > 1 ? String(i + 1) : undefined });
  }
  return slots;
}

function placedOf(ctx: RuleContext, activityId: string): Occurrence[] {
  return ctx.placed.get(activityId) ?? [];
}

/** The local day of an activity's last occurrence, or the run start if it has none. */
function lastOf(ctx: RuleContext, activityId: string): DateTime {
  const last = placedOf(ctx, activityId).at(-1);
  return last ? DateTime.fromISO(last.start, { zone: ctx.runStart.zone }).startOf('day') : ctx.runStart;
}

function local(instant: string, calendar: Calendar): DateTime {
  return DateTime.fromISO(instant, { zone: calendar.zone });
}
