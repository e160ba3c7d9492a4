// Card clicks that must be refused, for every platform's fuzz test: each is built with at least one thing
// wrong for the person who sends it (data of the wrong shape, an occurrence their team's plan does not have,
// another programme's or team's ids, a card or verb that is no action, a role that may not, a card not out
// yet or closed, someone else's hours card), or comes from someone who is in no run there at all.
import fc from 'fast-check';
import { ACTION_REGISTRY } from '../../src/app/actions/handle-card-action.ts';
import { ownCardAt } from '../../src/app/occurrence-card.ts';
import { may } from '../../src/app/permissions.ts';
import type { Run } from '../../src/app/ports.ts';
import type { Programme, Role } from '../../src/domain/programme/schema.ts';
import type { Occurrence, Plan } from '../../src/domain/timeline/types.ts';
import { nastyKey, nastyShortString, nastyString, wrongValue } from './fuzz.ts';

/** A team's run as the generators know it. */
export interface Side {
  run: Run;
  programme: Programme;
  plan: Plan;
}

export interface Click {
  verb: string;
  /** The action's `data` (`{ card, ref }` when well formed). */
  data: Record<string, unknown>;
  inputs: Record<string, unknown>;
}

const REGISTERED = [...ACTION_REGISTRY.entries()].map(([key, spec]) => {
  const [card, verb] = key.split('/') as [string, string];
  return { card, verb, permission: spec.permission };
});
const CARD_NAMES = [...new Set(REGISTERED.map((r) => r.card)), 'hours', 'error', 'help', 'postcard'];
const VERBS = [...new Set(REGISTERED.map((r) => r.verb)), 'correct', 'start', 'delete', 'erase', 'export'];

const isRegistered = (card: unknown, verb: string) => typeof card === 'string' && ACTION_REGISTRY.has(`${card}/${verb}`);

/** Values a card's inputs hold: plausible answers, hostile text, values of the wrong kind. */
export const inputs: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(
  fc.oneof(fc.constantFrom('note', 'answer:tryghed', 'answer:orientering', 'field:dato', 'hours:oevebane:1', 'comment', 'msteams'), nastyKey),
  fc.oneof({ weight: 3, arbitrary: fc.oneof(fc.constantFrom('4', 'Vi byggede en bro', '', '2026-10-06', '1,5'), nastyString) }, { weight: 1, arbitrary: wrongValue }),
  { maxKeys: 4 },
);

const verb = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...VERBS) }, { weight: 1, arbitrary: nastyShortString.filter((v) => v.length > 0 && v.length <= 100) });
const card = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...CARD_NAMES) }, { weight: 1, arbitrary: nastyShortString });

const refOf = (side: Side, o: Occurrence) => ({ programmeId: side.programme.id, activityId: o.activityId, occurrenceId: o.id });

/** Whether a ref has one of the two shapes the app reads (an occurrence's, a person's). */
function refFits(ref: unknown): boolean {
  if (typeof ref !== 'object' || ref === null || Array.isArray(ref)) return false;
  const keys = Object.keys(ref).sort().join(',');
  const strings = Object.values(ref).every((v) => typeof v === 'string');
  return strings && (keys === 'activityId,occurrenceId,programmeId' || keys === 'programmeId,userId');
}

/**
 * Clicks someone who is in no run where they click may send: anything, the well-formed and permitted ones
 * of every team included (their answer on a started øvebane of another team, say).
 */
export function anyClick(sides: readonly Side[], now: Date): fc.Arbitrary<Click> {
  const valid = sides.flatMap((side) =>
    side.plan.occurrences
      .filter((o) => Date.parse(ownCardAt(side, o)) <= now.getTime())
      .slice(-30)
      .map((o) => ({ ref: refOf(side, o) })),
  );
  return fc.oneof(
    fc.record({
      verb: fc.constantFrom(...REGISTERED.map((r) => r.verb)),
      data: fc.record({ card: fc.constantFrom(...REGISTERED.map((r) => r.card)), ref: fc.constantFrom(...valid.map((v) => v.ref)) }),
      inputs,
    }),
    fc.record({ verb, data: fc.record({ card, ref: wrongValue }), inputs }),
  );
}

/**
 * Clicks that must be refused to `userId`, a member of the team of `side`; `others` are the other teams,
 * whose ids are fair game for a forger.
 */
export function refusedClick(side: Side, userId: string, others: readonly Side[], now: Date): fc.Arbitrary<Click> {
  const roles: readonly Role[] = side.run.members.find((m) => m.userId === userId)?.roles ?? [];
  const ours = side.plan.occurrences;
  const ourIds = new Set(ours.map((o) => o.id));
  const out = (o: Occurrence) => Date.parse(ownCardAt(side, o)) <= now.getTime();
  const started = ours.filter(out);
  // Well ahead, so no card of these goes out while the test runs.
  const notYet = ours.filter((o) => Date.parse(ownCardAt(side, o)) > now.getTime() + 3 * 24 * 3600_000);
  const activities = new Map(side.programme.phases.flatMap((p) => p.activities).map((a) => [a.id, a]));
  const closed = started.filter((o) => activities.get(o.activityId)?.windowDays && Date.parse(o.end) < now.getTime() - 3600_000);
  const theirs = others.flatMap((other) => other.plan.occurrences.slice(0, 40).map((o) => refOf(other, o)));
  const foreignIds = theirs.map((r) => r.occurrenceId).filter((id) => !ourIds.has(id));

  const categories: Array<fc.Arbitrary<Click>> = [
    // Data of the wrong shape: the ref not one the app reads (a wrong type, a key too many or too few).
    fc
      .record({
        verb,
        data: fc.record({
          card: fc.oneof(card, wrongValue),
          ref: fc.oneof(
            wrongValue,
            fc
              .constantFrom(...started.slice(0, 5))
              .chain((o) =>
                fc.oneof(
                  fc.record({ programmeId: fc.constant(side.programme.id), activityId: fc.constant(o.activityId), occurrenceId: wrongValue }),
                  fc.constant({ ...refOf(side, o), extra: 'x' }),
                  fc.constant({ programmeId: side.programme.id, occurrenceId: o.id }),
                  fc.constant({ ...refOf(side, o), userId }),
                ),
              ),
          ),
        }),
        inputs,
      })
      .filter((c) => !refFits(c.data['ref'])),
    // An occurrence the team's plan does not have: made up, or another team's.
    fc.record({
      verb,
      data: fc.record({
        card,
        ref: fc.record({
          programmeId: fc.oneof(fc.constant(side.programme.id), nastyShortString),
          activityId: fc.oneof(fc.constantFrom(...activities.keys()), nastyShortString),
          occurrenceId: fc.oneof(...(foreignIds.length > 0 ? [fc.constantFrom(...foreignIds)] : []), nastyString).filter((id) => !ourIds.has(id)),
        }),
      }),
      inputs,
    }),
    // Another team's ref whole, on any card and verb.
    fc
      .record({ verb, data: fc.record({ card, ref: fc.constantFrom(...theirs) }), inputs })
      .filter((c) => !ourIds.has((c.data['ref'] as { occurrenceId: string }).occurrenceId) || (c.data['ref'] as { programmeId: string }).programmeId !== side.programme.id),
    // Our occurrence under another programme's id, or with another activity's id.
    fc.record({
      verb: fc.constantFrom(...REGISTERED.map((r) => r.verb)),
      data: fc.record({
        card: fc.constantFrom(...REGISTERED.map((r) => r.card)),
        ref: fc.constantFrom(...started).chain((o) =>
          fc.oneof(
            fc
              .oneof(fc.constantFrom(...others.map((other) => other.programme.id)), nastyShortString)
              .filter((id) => id !== side.programme.id)
              .map((programmeId) => ({ ...refOf(side, o), programmeId })),
            fc
              .oneof(fc.constantFrom(...activities.keys()), nastyShortString)
              .filter((id) => id !== o.activityId)
              .map((activityId) => ({ ...refOf(side, o), activityId })),
          ),
        ),
      }),
      inputs,
    }),
    // A card and verb that are no action, on a real ref.
    fc.record({ verb, data: fc.record({ card, ref: fc.constantFrom(...started).map((o) => refOf(side, o)) }), inputs }).filter((c) => !isRegistered(c.data['card'], c.verb)),
    // A real action on a card not out yet.
    fc.tuple(fc.constantFrom(...REGISTERED), fc.constantFrom(...notYet), inputs).map(([r, o, i]) => ({ verb: r.verb, data: { card: r.card, ref: refOf(side, o) }, inputs: i })),
    // A real action the person's role may not take, on a card that is out.
    ...((): Array<fc.Arbitrary<Click>> => {
      const pairs = started.flatMap((o) => REGISTERED.filter((r) => !may(r.permission, roles, o)).map((r) => ({ r, o })));
      return pairs.length === 0 ? [] : [fc.tuple(fc.constantFrom(...pairs), inputs).map(([{ r, o }, i]) => ({ verb: r.verb, data: { card: r.card, ref: refOf(side, o) }, inputs: i }))];
    })(),
    // An answer after the close: the expired card (or the role's refusal).
    ...(closed.length === 0
      ? []
      : [
          fc
            .tuple(fc.constantFrom(...REGISTERED.filter((r) => r.permission === 'answer')), fc.constantFrom(...closed), inputs)
            .map(([r, o, i]) => ({ verb: r.verb, data: { card: r.card, ref: refOf(side, o) }, inputs: i })),
        ]),
    // Someone else's hours card, or one of another programme.
    fc
      .record({
        verb: fc.oneof(fc.constant('correct'), verb),
        data: fc.record({
          card: fc.constant('hours'),
          ref: fc.oneof(
            fc.record({
              programmeId: fc.constant(side.programme.id),
              userId: fc.oneof(fc.constantFrom(...side.run.members.map((m) => m.userId), ...others.flatMap((o) => o.run.members.map((m) => m.userId))), nastyShortString),
            }),
            fc.record({ programmeId: nastyShortString, userId: fc.constantFrom(...side.run.members.map((m) => m.userId)) }),
          ),
        }),
        inputs,
      })
      .filter((c) => {
        const ref = c.data['ref'] as { programmeId: string; userId: string };
        return c.verb !== 'correct' || ref.programmeId !== side.programme.id || ref.userId !== userId;
      }),
  ];
  return fc.oneof(...categories);
}
