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
  | { code: 'termOverrun'; activityId: string; week: number }
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
