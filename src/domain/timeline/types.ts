import type { DateTime } from 'luxon';
import type { Activity, ActivityKind, Role } from '../programme/schema.ts';

export type Moment = 'A' | 'B' | 'C' | 'D';

/** One dated point of a run: a meeting, a day's prompt, a questionnaire's window. */
export interface Occurrence {
  /** Stable for the same programme, settings and calendar: `activity`, `activity:3` or `del:1ab`. */
  id: string;
  activityId: string;
  kind: ActivityKind;
  /** Instants in UTC (ISO 8601, "Z"); shown in the team's zone by whoever renders them. */
  start: string;
  end: string;
  /** The ISO weeks the occurrence spans, break weeks left out. */
  weeks: number[];
  part?: number;
  moments?: Moment[];
  audience: Role[];
}

export type PlanWarning =
  | { code: 'beforeRunStart'; activityId: string; wanted: string; placed: string }
  | { code: 'fewerDaysBefore'; activityId: string; days: number; target: string }
  | { code: 'noWorkingDay'; activityId: string; from: string; to: string }
  | { code: 'termOverrun'; activityId: string; week: number; part?: number; moments?: Moment[] }
  /** A module part whose weeks run across the summer break, or that falls after it (in the next school year). */
  | { code: 'acrossSummer'; activityId: string; part: number; moments: Moment[]; from: string; to: string }
  | { code: 'afterSummer'; activityId: string; part: number; moments: Moment[]; date: string }
  /** An occurrence moved to keep an order rule (`after`). Dates are local YYYY-MM-DD. */
  | { code: 'orderMoved'; activityId: string; after: string; from: string; to: string; otherDate: string }
  /** An order rule the plan could not keep: `activityId`'s occurrence on `date` is not `relation` `other`'s on `otherDate`. */
  | {
      code: 'orderBroken';
      activityId: string;
      relation: 'after' | 'before';
      other: string;
      date: string;
      otherDate: string;
      part?: number;
      moments?: Moment[];
      otherPart?: number;
      otherMoments?: Moment[];
    }
  | { code: 'notSameSchoolYear'; activityId: string; other: string; date: string; otherDate: string }
  /** A fixed date for an occurrence id the plan does not have. */
  | { code: 'unknownFixed'; id: string }
  | { code: 'badFixed'; id: string; value: string }
  | { code: 'noVariant'; activityId: string }
  | { code: 'nothingBetween'; activityId: string; after: string; before: string }
  | { code: 'punchCardExceeded'; planned: number; budget: number };

export interface Plan {
  programmeId: string;
  timezone: string;
  /** The run's local start date, YYYY-MM-DD. */
  start: string;
  settings: Record<string, string>;
  hours: Partial<Record<Role, number>>;
  warnings: PlanWarning[];
  occurrences: Occurrence[];
}

export interface RunSettings {
  /** The run's first day, YYYY-MM-DD, in the team's zone. */
  start: string;
  /** Choices for the programme's settings; missing ones take the programme's defaults. */
  settings?: Record<string, string>;
  calendar?: RunCalendar;
}

/** A run's own calendar, on top of the country's holidays and the programme's default breaks. */
export interface RunCalendar {
  /** Overrides the programme's `calendar` (the calendar is built with it: see calendarFor). */
  kind?: 'school' | 'workplace';
  /** Swedish sportlov week, 7–10 (calendarFor). */
  sportlovWeek?: number;
  /** Extra closed days, YYYY-MM-DD: the plan treats them like public holidays. */
  closed?: string[];
  /**
   * Dates someone else set, by occurrence id: YYYY-MM-DD (the activity's usual time) or YYYY-MM-DDTHH:MM,
   * local time. Activities placed relative to a fixed one follow it.
   */
  fixed?: Record<string, string>;
}

/** What a timing rule yields before it becomes an occurrence: a local start and, for module parts, its place. */
export interface Slot {
  start: DateTime;
  key?: string;
  weeks?: number[];
  part?: number;
  moments?: Moment[];
}

export interface RuleContext {
  activity: Activity;
  runStart: DateTime;
  settings: Record<string, string>;
  /** Occurrences already placed, by activity id (rules only refer to activities placed before them). */
  placed: ReadonlyMap<string, Occurrence[]>;
  warn(warning: PlanWarning): void;
}
