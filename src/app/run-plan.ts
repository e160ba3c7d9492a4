import type { Programme } from '../domain/programme/schema.ts';
import { buildPlan } from '../domain/timeline/plan.ts';
import { calendarFor } from '../domain/timeline/run-calendar.ts';
import type { Plan } from '../domain/timeline/types.ts';
import type { Run } from './ports.ts';

/** Plans by programme (a reloaded programme is a new object) and by the run's own choices. */
const plans = new WeakMap<Programme, Map<string, Plan>>();

/**
 * A run's plan, computed once and shared by the scheduler's minute tick and every command and
 * card click (each would otherwise plan the whole programme again). The run's own calendar (kind,
 * sportlov week, closed days, fixed dates) is part of the key, so a change to it plans anew.
 */
export function planOf(run: Run, programme: Programme): Plan {
  const byRun = plans.get(programme) ?? new Map<string, Plan>();
  plans.set(programme, byRun);
  const key = JSON.stringify([run.start, run.settings, run.timeZone, run.country, run.calendar ?? null]);
  let plan = byRun.get(key);
  if (!plan) {
    const calendar = calendarFor(programme, { country: run.country, timezone: run.timeZone, calendar: run.calendar });
    plan = buildPlan(programme, { start: run.start, settings: run.settings, calendar: run.calendar }, calendar);
    byRun.set(key, plan);
  }
  return plan;
}
