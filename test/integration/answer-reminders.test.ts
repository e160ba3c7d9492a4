// Reminders to answer, through the app's own paths on a real Redis: the scheduler's rounds 3 and 1 working days
// before the close, to those still to answer only; "Svar nu", "Påmind mig i morgen" and "Ingen påmindelser" on
// the card; `/sparring reminders`; `/sparring status` for the leader. For an anonymous questionnaire, nothing in
// Redis or the logs says afterwards who was reminded.
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { handleCardAction } from '../../src/app/actions/handle-card-action.ts';
import { runCommand } from '../../src/app/commands/run-command.ts';
import type { Actor, AppDeps } from '../../src/app/context.ts';
import type { Run, TeamRef } from '../../src/app/ports.ts';
import { renderAdaptiveCard } from '../../src/cards/render.ts';
import { deliverDue } from '../../src/delivery/deliver.ts';
import { tick } from '../../src/scheduler/tick.ts';
import { dropNamespace, newNamespace, RecordingChannel, replica } from '../support/delivery.ts';
import { fakeClock } from '../support/fakes.ts';
import { tinyProgramme } from '../support/plans.ts';

const TEAM: TeamRef = { tenant: 'odense', team: 'solsikken' };
const STAFF = ['u-anna-41', 'u-bo-52', 'u-carl-63', 'u-dorte-74'];
const [ANNA, BO, CARL, DORTE] = STAFF as [string, string, string, string];
const text = (s: string) => ({ da: s, sv: s, en: s });

// An anonymous pulse open Monday 7 September 09:00 for 14 days (closes Monday 21st 09:00, 07:00Z): reminded
// Wednesday 16th and Friday 18th at 08:00 (06:00Z). A named reflection open Wednesday 9th 10:00 for 7 days
// (closes Wednesday 16th 10:00): reminded Friday 11th and Tuesday 15th at 08:00.
const p = tinyProgramme([
  {
    id: 'puls',
    kind: 'questionnaire',
    anonymous: true,
    windowDays: 14,
    durationMinutes: 5,
    questions: [{ id: 'tryghed', text: text('Jeg føler mig tryg'), answer: 'scale' }],
    timing: { type: 'offset', weeks: 0, time: '09:00' },
  },
  {
    id: 'refleksion',
    kind: 'reflectionPrompt',
    windowDays: 7,
    durationMinutes: 30,
    questions: [{ id: 'hvad', text: text('Hvad lagde du mærke til?') }],
    timing: { type: 'offset', weeks: 0, days: 2, time: '10:00' },
  },
]);
const clock = fakeClock('2026-09-07T06:00:00Z');
const RUN: Run = {
  team: TEAM,
  programmeId: p.id,
  start: '2026-09-07',
  settings: {},
  timeZone: 'Europe/Copenhagen',
  country: 'DK',
  locale: 'da',
  active: true,
  members: [{ userId: 'leder-9', roles: ['leader'] }, ...STAFF.map((userId) => ({ userId, roles: ['staff' as const] }))],
  channelKey: 'channel',
};
const as = (userId: string): Actor => ({ team: TEAM, user: { userId, platform: 'teams', platformUserId: `29:${userId}` } });
const ref = (activityId: string) => ({ programmeId: p.id, activityId, occurrenceId: activityId });

let namespace: string;
let r: ReturnType<typeof replica>;
let deps: AppDeps;
let channel: RecordingChannel;

beforeEach(async () => {
  namespace = newNamespace();
  r = replica(namespace, 'replica-1', new Map([[p.id, p]]), clock);
  deps = { ...r, canMail: false };
  channel = new RecordingChannel();
  await r.store.saveRun(RUN);
  for (const userId of [...RUN.members.map((m) => m.userId), 'channel'])
    await r.store.saveConversation(TEAM, { platform: 'teams', key: userId, reference: { conversation: { id: `conv-${userId}` } } });
});
afterEach(async () => {
  await r.close();
  await dropNamespace(namespace);
});

/** The scheduler at `iso`, then delivery: what was fired, and to whom each reminder went. */
async function at(iso: string) {
  clock.set(iso);
  const before = channel.sent.length;
  const { fired } = await tick(r);
  await deliverDue({ ...r, channels: { teams: channel } });
  const sent = channel.sent.slice(before).map((s) => ({ key: s.key!.split('/')[2]!, to: s.to, text: JSON.stringify(s.message.card) }));
  return { fired, sent };
}
const reminded = (sent: Array<{ key: string; to: string }>, key: string) =>
  sent
    .filter((s) => s.key === key)
    .map((s) => s.to)
    .sort();

async function answerPuls(userId: string) {
  expect(await handleCardAction(deps, as(userId), { verb: 'answer', data: { card: 'questionnaire', ref: ref('puls') }, inputs: { 'answer:tryghed': '4' } })).toMatchObject({ card: 'answered' });
}

/** Every key of the namespace with each of its entries (hash field and value, set or list member, string). */
async function everything(): Promise<string[]> {
  const redis = new Redis(inject('redisUrl'));
  try {
    const entries: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${namespace}:*`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) {
        const type = await redis.type(key);
        const values =
          type === 'hash'
            ? Object.entries(await redis.hgetall(key)).map(([f, v]) => `${f}=${v}`)
            : type === 'set'
              ? await redis.smembers(key)
              : type === 'zset'
                ? await redis.zrange(key, '0', '-1')
                : type === 'list'
                  ? await redis.lrange(key, 0, -1)
                  : type === 'string'
                    ? [String(await redis.get(key))]
                    : [`(a ${type})`];
        for (const value of values.length > 0 ? values : ['']) entries.push(`${key} ${value}`);
      }
    } while (cursor !== '0');
    return entries;
  } finally {
    await redis.quit();
  }
}

describe('reminders to answer an anonymous questionnaire', () => {
  it('go to those still to answer, come again when snoozed, stop when muted, and leave nothing that says who was reminded', async () => {
    expect((await at('2026-09-07T07:00:00Z')).fired).toEqual(['puls']);
    await answerPuls(ANNA);

    // Wednesday: the first round, to the three who have not answered; nothing is kept of it once sent.
    const wednesday = await at('2026-09-16T06:00:00Z');
    expect(wednesday.fired).toContain('puls#nudge-3');
    expect(reminded(wednesday.sent, 'puls#nudge-3')).toEqual([BO, CARL, DORTE]);
    const card = wednesday.sent.find((s) => s.key === 'puls#nudge-3')!.text;
    for (const words of ['Påmindelse om spørgeskema', 'Du har ikke svaret endnu.', 'Spørgeskemaet er anonymt', 'Svar nu', 'Påmind mig i morgen', 'Ingen påmindelser i dette forløb'])
      expect(card).toContain(words);
    for (const id of [...STAFF, 'leder-9']) expect(card).not.toContain(id);
    for (const userId of [BO, CARL, DORTE]) expect(await r.outbox.get(TEAM, 'puls#nudge-3', userId)).toBeUndefined();
    const fired = r.logger.entries.find((e) => e.message === 'occurrence fired' && e.fields['send'] === 'puls#nudge-3')!;
    expect(fired.fields).toMatchObject({ recipients: 3 });

    // Bo: "remind me tomorrow"; Carl: "no reminders"; Dorte opens the questionnaire from the reminder.
    clock.set('2026-09-16T06:30:00Z');
    const click = (userId: string, verb: string) => handleCardAction(deps, as(userId), { verb, data: { card: 'answer-reminder', ref: ref('puls') }, inputs: {} });
    expect(await click(BO, 'snooze')).toMatchObject({ card: 'answer-reminder', data: { state: 'snoozed', snoozedUntil: '2026-09-17T06:00:00Z' } });
    expect(await click(CARL, 'mute')).toMatchObject({ card: 'answer-reminder', data: { state: 'muted' } });
    const opened = await click(DORTE, 'open');
    expect(opened).toMatchObject({ card: 'questionnaire', data: { ref: ref('puls'), anonymous: true } });
    expect(JSON.stringify(renderAdaptiveCard('questionnaire', opened.data, { locale: 'da' }))).toContain('Jeg føler mig tryg');
    // Anna has answered: the reminder's button says so rather than show a form that would refuse her.
    expect(await click(ANNA, 'open')).toMatchObject({ card: 'answered', data: { outcome: 'alreadyAnswered' } });

    // Thursday 08:00: Bo's snooze brings the reminder again, to him only; then he answers.
    const thursday = await at('2026-09-17T06:00:00Z');
    // (The channel gets the reflection's summary that morning: not a reminder.)
    expect(thursday.sent.filter((s) => s.to !== 'channel').map((s) => [s.key, s.to])).toEqual([['puls#snoozed-2026-09-17', BO]]);
    expect(await r.outbox.get(TEAM, 'puls#snoozed-2026-09-17', BO)).toBeUndefined();
    clock.set('2026-09-17T07:10:00Z');
    await answerPuls(BO);
    expect(await at('2026-09-17T09:00:00Z')).toEqual({ fired: [], sent: [] });

    // Friday: the last round, to Dorte only (Anna and Bo answered, Carl muted).
    const friday = await at('2026-09-18T06:00:00Z');
    expect(reminded(friday.sent, 'puls#nudge-1')).toEqual([DORTE]);

    // The leader sees how many, never who; the reminder card lists no one either.
    const status = await runCommand(deps, as('leder-9'), 'status');
    expect(status).toMatchObject({ card: 'status', data: { rows: expect.arrayContaining([{ title: 'puls', answered: 2, invited: 4 }]) } });
    const shown = JSON.stringify(renderAdaptiveCard('status', status.data, { locale: 'da' }));
    expect(shown).toContain('2 af 4 har svaret');
    for (const id of STAFF) expect(shown).not.toContain(id);

    // Nothing in Redis ties a reminder of the pulse to a person, and each staff member appears beside the
    // pulse in exactly the same places (its own card, sent to all four), whether reminded twice, once or never.
    const entries = await everything();
    const nudgeOrSnooze = entries.filter((e) => /puls(#|%23)(nudge|snooze)|snooze.*puls/.test(e));
    for (const id of STAFF)
      expect(
        nudgeOrSnooze.filter((e) => e.includes(id)),
        id,
      ).toEqual([]);
    const besidePulse = (id: string) =>
      entries
        .filter((e) => e.includes('puls') && e.includes(id))
        .map((e) =>
          e
            .split(id)
            .join('X')
            .replace(/"(messageId|updatedAt)":"[^"]*"/g, ''),
        )
        .sort();
    expect(besidePulse(ANNA).length).toBeGreaterThan(0);
    expect(nudgeOrSnooze.length).toBeGreaterThan(0);
    for (const id of [BO, CARL, DORTE]) expect(besidePulse(id), id).toEqual(besidePulse(ANNA));
    // Nor do the logs: no line about the pulse names anyone.
    for (const entry of r.logger.entries) {
      const line = JSON.stringify(entry);
      if (line.includes('puls')) for (const id of STAFF) expect(line, line).not.toContain(id);
    }
  });

  it('none when the programme turns them off, only the later round after downtime, and none after the close', async () => {
    const quiet = { ...p, reminders: { daysBeforeClose: [] } };
    const quietReplica = replica(namespace, 'replica-2', new Map([[p.id, quiet]]), clock);
    try {
      clock.set('2026-09-16T06:00:00Z');
      expect((await tick(quietReplica)).fired).not.toContain('puls#nudge-3');
    } finally {
      await quietReplica.close();
    }
    // Down over both rounds: only the later one is sent.
    clock.set('2026-09-18T06:00:00Z');
    const late = await tick(r);
    expect(late.stale).toContain('puls#nudge-3');
    // The reflection's rounds come after its close (Wednesday 10:00): stale, marked done, sent to no one.
    expect(late.stale).toEqual(expect.arrayContaining(['refleksion#nudge-3', 'refleksion#nudge-1']));
    expect(late.fired).toContain('puls#nudge-1');
    expect(await r.outbox.get(TEAM, 'puls#nudge-3', BO)).toBeUndefined();
    expect(await r.outbox.get(TEAM, 'puls#nudge-1', BO)).toMatchObject({ state: 'pending', forgetWhenSent: true });
    // After the close the card's buttons say it has closed.
    clock.set('2026-09-21T07:00:00Z');
    expect(await handleCardAction(deps, as(BO), { verb: 'snooze', data: { card: 'answer-reminder', ref: ref('puls') }, inputs: {} })).toMatchObject({ card: 'expired' });
  });
});

describe('reminders to answer a named reflection', () => {
  it('a snooze goes once the person answers; muting by command lasts for the run, and `on` brings them back', async () => {
    await at('2026-09-09T08:00:00Z');
    const friday = await at('2026-09-11T06:00:00Z');
    expect(reminded(friday.sent, 'refleksion#nudge-3')).toEqual(STAFF);
    // Kept as sent (named): the answered card can replace it.
    expect(await r.outbox.get(TEAM, 'refleksion#nudge-3', ANNA)).toMatchObject({ state: 'sent' });

    clock.set('2026-09-11T07:00:00Z');
    const click = (userId: string, verb: string) => handleCardAction(deps, as(userId), { verb, data: { card: 'answer-reminder', ref: ref('refleksion') }, inputs: {} });
    // Friday's "tomorrow" is Saturday 08:00.
    expect(await click(ANNA, 'snooze')).toMatchObject({ data: { state: 'snoozed', snoozedUntil: '2026-09-12T06:00:00Z' } });
    expect(await r.store.snoozes(TEAM)).toHaveLength(1);
    expect(await click(ANNA, 'open')).toMatchObject({ card: 'reflection-prompt' });
    expect(await handleCardAction(deps, as(ANNA), { verb: 'answer', data: { card: 'reflection-prompt', ref: ref('refleksion') }, inputs: { 'answer:hvad': 'Børnene byggede' } })).toMatchObject({
      card: 'answered',
    });
    expect(await r.store.snoozes(TEAM)).toEqual([]);
    expect((await at('2026-09-12T06:00:00Z')).sent).toEqual([]);

    expect(await runCommand(deps, as(BO), 'reminders')).toMatchObject({ card: 'reminder-settings', data: { muted: false, changed: false } });
    expect(await runCommand(deps, as(BO), 'reminders off')).toMatchObject({ card: 'reminder-settings', data: { muted: true, changed: true } });
    expect(await runCommand(deps, as(CARL), 'reminders maybe')).toMatchObject({ card: 'error', data: { code: 'badArgument', choices: ['/sparring reminders off', '/sparring reminders on'] } });
    expect(await r.store.reminderMutes(TEAM)).toEqual([{ userId: BO, programmeId: p.id, start: RUN.start }]);

    const tuesday = await at('2026-09-15T06:00:00Z');
    expect(reminded(tuesday.sent, 'refleksion#nudge-1')).toEqual([CARL, DORTE]);
    expect(await runCommand(deps, as(BO), 'reminders on')).toMatchObject({ card: 'reminder-settings', data: { muted: false, changed: true } });
    expect(await r.store.reminderMutes(TEAM)).toEqual([]);
    // A person the reflection was not sent to cannot use its reminder's buttons.
    expect(await handleCardAction(deps, as('leder-9'), { verb: 'mute', data: { card: 'answer-reminder', ref: ref('refleksion') }, inputs: {} })).toMatchObject({
      card: 'error',
      data: { code: 'wrongRole' },
    });
  });
});
