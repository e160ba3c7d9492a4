// The checks across a programme's activities (ids they refer to, settings they match, rules in a circle), apart
// from the field schemas because they read a looser shape of their own and run even where a field is wrong.
import { z } from 'zod';
import { type SettingsMatch, settingsMatch } from './schema-fields.ts';
import { type ActivityKind, dependenciesOf, REMINDED_KINDS, type TimingRefs } from './vocabulary.ts';

/** Just the fields the cross-reference checks read, so they can run on a file that is wrong elsewhere. */
const crossReferenceShape = z.looseObject({
  settings: z.array(z.looseObject({ id: z.string(), default: z.string(), choices: z.array(z.looseObject({ value: z.string() })) })).default([]),
  punchCard: z.looseObject({ activities: z.array(z.string()) }).optional(),
  phases: z.array(
    z.looseObject({
      activities: z.array(
        z.looseObject({
          id: z.string(),
          kind: z.string().optional(),
          reminders: z.unknown().optional(),
          when: settingsMatch.optional(),
          order: z.array(z.looseObject({ after: z.string().optional(), before: z.string().optional() })).optional(),
          sameSchoolYear: z.array(z.string()).optional(),
          timing: z.looseObject({
            type: z.string(),
            activity: z.string().optional(),
            after: z.string().optional(),
            before: z.string().optional(),
            variants: z.array(z.looseObject({ when: settingsMatch.optional() })).optional(),
          }),
        }),
      ),
    }),
  ),
});
type CrossReferenceShape = z.infer<typeof crossReferenceShape>;

/** Adds an issue for each broken cross-reference of a programme file, whatever else is wrong in it. */
export function checkCrossReferences(value: unknown, ctx: z.RefinementCtx) {
  const shape = crossReferenceShape.safeParse(value);
  if (shape.success) checkReferences(shape.data, ctx);
}

function checkReferences(programme: CrossReferenceShape, ctx: z.RefinementCtx) {
  const activities = programme.phases.flatMap((p, pi) => p.activities.map((a, ai) => ({ a, path: ['phases', pi, 'activities', ai] })));
  const ids = new Set<string>();
  for (const { a, path } of activities) {
    if (ids.has(a.id)) ctx.addIssue({ code: 'custom', path: [...path, 'id'], message: `duplicate activity id "${a.id}"` });
    ids.add(a.id);
  }
  const settingIds = new Map(programme.settings.map((s) => [s.id, new Set(s.choices.map((c) => c.value))]));
  programme.settings.forEach((s, si) => {
    if (!settingIds.get(s.id)?.has(s.default)) ctx.addIssue({ code: 'custom', path: ['settings', si, 'default'], message: `"${s.default}" is not one of the choices` });
  });
  const checkMatch = (match: SettingsMatch | undefined, path: (string | number)[]) => {
    for (const [key, value] of Object.entries(match ?? {})) {
      const choices = settingIds.get(key);
      if (!choices) {
        ctx.addIssue({ code: 'custom', path: [...path, key], message: `unknown setting "${key}"` });
        continue;
      }
      for (const v of [value].flat()) if (!choices.has(v)) ctx.addIssue({ code: 'custom', path: [...path, key], message: `"${v}" is not a choice of "${key}"` });
    }
  };
  for (const { a, path } of activities) {
    checkMatch(a.when, [...path, 'when']);
    if (a.reminders !== undefined && a.kind !== undefined && !REMINDED_KINDS.has(a.kind as ActivityKind))
      ctx.addIssue({ code: 'custom', path: [...path, 'reminders'], message: `only questionnaires and reflection prompts are reminded, not a "${a.kind}"` });
    for (const ref of dependenciesOf({ timing: a.timing })) if (!ids.has(ref)) ctx.addIssue({ code: 'custom', path: [...path, 'timing'], message: `refers to unknown activity "${ref}"` });
    a.order?.forEach((o, oi) => {
      const ref = o.after ?? o.before;
      if (ref === undefined) return;
      if (!ids.has(ref)) ctx.addIssue({ code: 'custom', path: [...path, 'order', oi], message: `refers to unknown activity "${ref}"` });
      else if (ref === a.id) ctx.addIssue({ code: 'custom', path: [...path, 'order', oi], message: `an activity cannot come ${o.after ? 'after' : 'before'} itself` });
    });
    a.sameSchoolYear?.forEach((ref, ri) => {
      if (!ids.has(ref)) ctx.addIssue({ code: 'custom', path: [...path, 'sameSchoolYear', ri], message: `refers to unknown activity "${ref}"` });
    });
    a.timing.variants?.forEach((v, vi) => checkMatch(v.when, [...path, 'timing', 'variants', vi, 'when']));
  }
  for (const ref of programme.punchCard?.activities ?? []) if (!ids.has(ref)) ctx.addIssue({ code: 'custom', path: ['punchCard', 'activities'], message: `unknown activity "${ref}"` });
  const cycle = findCycle(activities.map(({ a }) => a));
  if (cycle) ctx.addIssue({ code: 'custom', path: ['phases'], message: `timing and order rules refer to each other in a circle: ${cycle.join(' → ')}` });
}

function findCycle(activities: { id: string; timing: TimingRefs; order?: { after?: string }[] | undefined }[]): string[] | undefined {
  const byId = new Map(activities.map((a) => [a.id, a]));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, trail: string[]): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...trail.slice(trail.indexOf(id)), id];
    state.set(id, 'visiting');
    const activity = byId.get(id);
    for (const dep of activity ? dependenciesOf(activity) : []) {
      const found = visit(dep, [...trail, id]);
      if (found) return found;
    }
    state.set(id, 'done');
    return undefined;
  };
  for (const a of activities) {
    const found = visit(a.id, []);
    if (found) return found;
  }
  return undefined;
}
