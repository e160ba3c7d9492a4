// An anonymous questionnaire summed up on a real Redis, through the app's own paths: answers from the
// questionnaire card, `/sparring summary`, "show all" and the summary the scheduler posts the day
// after the close. Nothing of the answers before the close, the threshold k counted per question
// after it, and never more answered than were asked.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handleCardAction } from '../../src/app/actions/handle-card-action.ts';
import { runCommand } from '../../src/app/commands/run-command.ts';
import type { Actor, AppDeps } from '../../src/app/context.ts';
import type { Run, TeamRef } from '../../src/app/ports.ts';
import { renderAdaptiveCard, renderSlackCard } from '../../src/cards/render.ts';
import { activitiesById } from '../../src/domain/programme/activities.ts';
import { workItemsFor } from '../../src/scheduler/fan-out.ts';
import { MemoryOutbox } from '../../src/store/embedded/memory-delivery.ts';
import { fakeClock, memoryLogger } from '../support/fakes.ts';
import { ofActivity, plan, programme, aRun } from '../support/plans.ts';
import { countingRandom, redisStore, type StoreUnderTest } from '../support/stores.ts';

const odense = programme('odense-science-boernehoejde');
const k = odense.anonymityThreshold;
const questionnaire = activitiesById(odense).get('spoergeskema-1')!;
const scale = questionnaire.questions.filter((q) => q.answer === 'scale').map((q) => q.id);
const written = questionnaire.questions.find((q) => q.answer === 'text')!.id;
const TEAM: TeamRef = { tenant: 'odense-kommune', team: '19:solsikken@thread.tacv2' };
const STAFF = ['s1', 's2', 's3', 's4', 's5', 's6'];
const RUN: Run = aRun({
  team: TEAM,
  programmeId: odense.id,
  start: '2026-08-10',
  members: [{ userId: 'leder', roles: ['leader'] }, ...STAFF.map((userId) => ({ userId, roles: ['staff' as const] }))],
  channelKey: 'channel',
});
const thePlan = plan(odense, RUN.start, { country: 'DK' });
const occurrence = ofActivity(thePlan, 'spoergeskema-1')[0]!;
const summaryOccurrence = ofActivity(thePlan, 'opsummering-spoergeskema-1')[0]!;
const ref = { programmeId: odense.id, activityId: questionnaire.id, occurrenceId: occurrence.id };
const as = (userId: string): Actor => ({ team: TEAM, user: { userId, platform: 'teams', platformUserId: `29:${userId}` } });

let subject: StoreUnderTest;
let deps: AppDeps & { clock: ReturnType<typeof fakeClock>; outbox: MemoryOutbox };
beforeEach(async () => {
  subject = await redisStore();
  deps = {
    store: subject.store,
    outbox: new MemoryOutbox(),
    programmes: new Map([[odense.id, odense]]),
    clock: fakeClock(new Date(Date.parse(occurrence.start) + 3_600_000).toISOString()),
    random: countingRandom(),
    logger: memoryLogger(),
    canMail: false,
  };
  await deps.store.saveRun(RUN);
});
afterEach(() => subject.cleanup());

/** A staff member answers from the questionnaire card: every scale item, and the written one if given. */
async function answer(userId: string, text?: string) {
  const inputs = Object.fromEntries([...scale.map((id, i) => [`answer:${id}`, String(((i + userId.length + Number(userId.slice(1))) % 5) + 1)]), ...(text ? [[`answer:${written}`, text]] : [])]);
  const reply = await handleCardAction(deps, as(userId), { verb: 'answer', data: { card: 'questionnaire', ref }, inputs });
  expect(reply).toMatchObject({ card: 'answered' });
}

/** What a reader sees of a summary card, on Teams and on Slack. */
const seen = (data: unknown) => JSON.stringify([renderAdaptiveCard('summary', data, { locale: 'da' }), renderSlackCard('summary', data, { locale: 'da' })]);

/** The summary the leader posts to the channel with `/sparring summary`, as it is queued. */
async function leaderSummary() {
  deps.clock.advance(60_000);
  expect(await runCommand(deps, as('leder'), `summary ${occurrence.id}`)).toMatchObject({ card: 'answered', data: { outcome: 'posted' } });
  // The newest of the summaries queued for the channel (each new count is a new post).
  const items = (await deps.outbox.itemsFor(TEAM, ['channel'])).filter((i) => i.occurrenceId.startsWith(`summary:${occurrence.id}:`));
  const item = items.sort((a, b) => a.updatedAt.localeCompare(b.updatedAt)).at(-1);
  return item!.card!.data as { answered: number; invited: number; items: Array<{ id: string; tooFew?: boolean; answers?: string[] }>; beforeClose: boolean };
}

/** The summary the scheduler posts the day after the close. */
async function scheduledSummary() {
  deps.clock.set(summaryOccurrence.start);
  const run = (await deps.store.getRun(TEAM))!;
  const [item] = await workItemsFor(deps, run, odense, thePlan, summaryOccurrence);
  expect(item).toMatchObject({ recipient: 'channel', card: { name: 'summary' } });
  return item!.card!.data as { answered: number; invited: number; items: Array<{ id: string; tooFew?: boolean; counts?: unknown[]; answers?: string[] }>; beforeClose: boolean };
}

describe('before the close', () => {
  it('a summary read after each new answer shows how many answered and never an answer', async () => {
    for (const [i, userId] of STAFF.entries()) {
      await answer(userId, `Tanke fra ${userId}`);
      const data = await leaderSummary();
      expect(data).toMatchObject({ answered: i + 1, invited: 6, beforeClose: true, items: [] });
      const card = seen(data);
      expect(card).toContain(`${i + 1} af 6 har svaret`);
      expect(card).toContain('vises først, når svarfristen udløber mandag 24. august kl. 09.00');
      expect(card).not.toContain('Tanke fra');
    }
  });

  it('"show all" opens no answer either, for staff and leaders alike', async () => {
    for (const userId of STAFF) await answer(userId, `Tanke fra ${userId}`);
    for (const who of ['s1', 'leder']) {
      const reply = await handleCardAction(deps, as(who), { verb: 'showAll', data: { card: 'summary', ref }, inputs: {} });
      expect(reply.card).toBe('summary');
      expect(seen(reply.data)).not.toContain('Tanke fra');
    }
  });
});

describe('after the close', () => {
  it('an optional question one person of six answered shows no answer, the other questions show theirs', async () => {
    await answer('s1', 'Kun min egen tanke');
    for (const userId of STAFF.slice(1)) await answer(userId);
    const data = await scheduledSummary();
    expect(data).toMatchObject({ answered: 6, invited: 6, beforeClose: false });
    const byId = new Map(data.items.map((item) => [item.id, item]));
    for (const id of scale) expect(byId.get(id)).toMatchObject({ tooFew: false, counts: expect.arrayContaining([expect.objectContaining({ count: expect.any(Number) })]) });
    expect(byId.get(written)).toMatchObject({ tooFew: true, answers: [] });
    const card = seen(data);
    expect(card).toContain(`Færre end ${k} har svaret på dette spørgsmål, så svarene vises ikke.`);
    expect(card).not.toContain('Kun min egen tanke');
  });

  it(`shows every question's answers when at least ${k} answered it, the written ones in any order`, async () => {
    for (const userId of STAFF.slice(0, k)) await answer(userId, `Tanke fra ${userId}`);
    const data = await scheduledSummary();
    expect(data.items.every((item) => !item.tooFew)).toBe(true);
    expect([...(data.items.find((item) => item.id === written)?.answers ?? [])].sort()).toEqual(STAFF.slice(0, k).map((u) => `Tanke fra ${u}`));
    for (const u of STAFF.slice(0, k)) expect(seen(data)).toContain(`Tanke fra ${u}`);
    // The leader's summary after the close is the same.
    expect((await leaderSummary()).items).toHaveLength(questionnaire.questions.length);
  });

  it('"show all" opens every written answer to those asked and to leaders', async () => {
    for (const userId of STAFF) await answer(userId, `Tanke fra ${userId}`);
    deps.clock.set(summaryOccurrence.start);
    for (const who of ['s1', 'leder']) {
      const reply = await handleCardAction(deps, as(who), { verb: 'showAll', data: { card: 'summary', ref }, inputs: {} });
      expect(reply).toMatchObject({ card: 'summary', data: { expanded: true, answered: 6 } });
      for (const u of STAFF) expect(seen(reply.data)).toContain(`Tanke fra ${u}`);
    }
  });
});

describe('the count of who answered', () => {
  it('never exceeds the number asked, when a member who answered has left the team', async () => {
    for (const userId of STAFF) await answer(userId);
    expect(await deps.store.removeMember(TEAM, 's6')).toBe(true);
    const before = await leaderSummary();
    expect(before).toMatchObject({ answered: 5, invited: 5 });
    expect(seen(before)).toContain('5 af 5 har svaret');
    const after = await scheduledSummary();
    expect(after).toMatchObject({ answered: 5, invited: 5 });
    expect(seen(after)).toContain('5 af 5 har svaret');
  });
});
