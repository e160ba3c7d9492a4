import { createCalendar } from '../domain/calendar/calendar.ts';
import type { Programme } from '../domain/programme/schema.ts';
import { buildPlan } from '../domain/timeline/plan.ts';
import type { Plan } from '../domain/timeline/types.ts';
import type { Run } from './ports.ts';

/** Plans by programme (a reloaded programme is a new object) and by the run's own choices. */
const plans = new WeakMap<Programme, Map<string, Plan>>();

/**
 * A run's plan, computed once and shared by the scheduler's minute tick and every command and
 * card click (each would otherwise plan the whole programme again).
 */
export function planOf(run: Run, programme: Programme): Plan {
  const byRun = plans.get(programme) ?? new Map<string, Plan>();
  plans.set(programme, byRun);
  const key = JSON.stringify([run.start, run.settings, run.timeZone, run.country]);
  let plan = byRun.get(key);
  if (!plan) {
    plan = buildPlan(programme, { start: run.start, settings: run.settings }, createCalendar({ country: run.country, timezone: run.timeZone }));
    byRun.set(key, plan);
  }
  return plan;
}
