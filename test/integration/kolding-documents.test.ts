// Kolding's documents from the leaders', the consultant's and the skolechef's side, through the scheduler,
// the outbox (Redis) and a chat channel: the handleplan kept once per team with its versions and shared with
// the consultant, the shared I DO ART draft (prefilled, edited by both, sent back, approved and queued for the
// participants), the læringssamtale opening on the plan's tiltag, and the beslutningsreferat to the
// participants and the skolechef.
import { DateTime } from 'luxon';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { handleCardAction } from '../../src/app/actions/handle-card-action.ts';
import { runCommand } from '../../src/app/commands/run-command.ts';
import type { Actor, AppDeps } from '../../src/app/context.ts';
import type { Run, TeamRef } from '../../src/app/ports.ts';
import { runSends } from '../../src/app/occurrence-card.ts';
import { planOf } from '../../src/app/run-plan.ts';
import { deliverDue, type DeliveryOptions } from '../../src/delivery/deliver.ts';
import { PLATFORM_LIMITS } from '../../src/delivery/limits.ts';
import { tick } from '../../src/scheduler/tick.ts';
import { connectDelivery } from '../../src/store/redis/redis-delivery.ts';
import { mailingAppDeps } from '../support/app-deps.ts';
import { RecordingChannel } from '../support/delivery.ts';
import type { fakeClock, memoryLogger } from '../support/fakes.ts';
import { aRun, programme } from '../support/plans.ts';
import { deleteNamespace } from '../support/redis-server.ts';

const kolding = programme('kolding-laeringssamtale');
const TEAM: TeamRef = { tenant: 'kolding', team: 'bakkeskolen' };
const ZONE = 'Europe/Copenhagen';
const RUN: Run = aRun({
  team: TEAM,
  programmeId: kolding.id,
  start: '2026-08-10',
  timeZone: ZONE,
  members: [
    { userId: 'lene', name: 'Lene', roles: ['leader'] },
    { userId: 'lars', name: 'Lars', roles: ['leader'] },
    { userId: 'sofie', name: 'Sofie', roles: ['staff'] },
    { userId: 'karin', name: 'Karin', roles: ['consultant'] },
    { userId: 'jens', name: 'Jens', roles: ['chief'] },
  ],
});
const plan = planOf(RUN, kolding);
const sends = runSends(RUN, kolding, plan);
const occurrence = (activityId: string) => plan.occurrences.find((o) => o.activityId === activityId)!;
const sentAt = (key: string) => sends.find((s) => s.key === key)!.at;
const handleplan1 = occurrence('handleplan-1');
const idoart1 = occurrence('idoart-1');
const samtale1 = occurrence('laeringssamtale-1');
const opdateret1 = occurrence('handleplan-opdateret-1');
const referat = occurrence('referat');
const local = (iso: string) => DateTime.fromISO(iso, { zone: ZONE });
const as = (userId: string): Actor => ({ team: TEAM, user: { userId, platform: 'teams', platformUserId: userId } });
const ref = (o: { activityId: string; id: string }) => ({ programmeId: kolding.id, activityId: o.activityId, occurrenceId: o.id });
const OPTIONS: DeliveryOptions = { concurrency: 4, leaseMs: 30_000, maxAttempts: 3, backoffMs: 1_000 };

const PLAN_FIELDS = {
  'field:staasted': 'Eleverne i 5.-6. klasse deltager for lidt i den faglige samtale.',
  'field:maal': 'Flere elever tager ordet i matematik.',
  'field:hvad': 'Makkersnak og exit-sedler i to klasser.',
  'field:hvem-hvornaar': 'Lærerteamet i 5.-6., fra uge 45.',
  'field:tegn': 'Flere elever markerer.',
  'field:evaluering': 'Teammøde i uge 50.',
};

describe('Kolding: the handleplan, I DO ART and the beslutningsreferat', () => {
  let delivery: ReturnType<typeof connectDelivery>;
  let namespace: string;
  let channel: RecordingChannel;
  let deps: AppDeps & { clock: ReturnType<typeof fakeClock>; logger: ReturnType<typeof memoryLogger> };
  const deliver = () => deliverDue({ ...deps, limiter: delivery.limiter, channels: { teams: channel } }, OPTIONS);
  const schedule = () => tick({ ...deps, claims: delivery.claims, owner: 'replica-1' });
  /** The cards a person got, by name and data, oldest first. */
  const cardsOf = (userId: string) =>
    channel.sent
      .filter((s) => s.to === userId)
      // The send's key is `tenant/team/<occurrence key>/recipient`: the occurrence key is what the tests name.
      .map((s) => ({ key: s.key?.slice(`${TEAM.tenant}/${TEAM.team}/`.length, -`/${userId}`.length), text: JSON.stringify(s.message.card) }));
  const savePlan = (userId: string, fields: Record<string, string>, at = handleplan1) =>
    handleCardAction(deps, as(userId), { verb: 'savePlan', data: { card: 'action-plan', ref: ref(at) }, inputs: fields });
  const draftClick = (userId: string, verb: string, inputs: Record<string, string> = {}) => handleCardAction(deps, as(userId), { verb, data: { card: 'ido-art-draft', ref: ref(idoart1) }, inputs });

  beforeEach(async () => {
    namespace = `kolding-${Math.random().toString(36).slice(2)}`;
    delivery = connectDelivery(inject('redisUrl'), PLATFORM_LIMITS, namespace);
    channel = new RecordingChannel();
    deps = mailingAppDeps(delivery.outbox, kolding, sentAt(handleplan1.id));
    await deps.store.saveRun(RUN);
    for (const { userId } of RUN.members) await deps.store.saveConversation(TEAM, { platform: 'teams', key: userId, reference: { user: userId } });
  });
  afterEach(async () => {
    await deleteNamespace(inject('redisUrl'), namespace);
    await delivery.close();
  });

  describe('the handleplan', () => {
    it('is one plan per team: each save is a version shared with the consultant, and the update card starts from it', async () => {
      expect(await savePlan('lene', PLAN_FIELDS)).toMatchObject({ card: 'answered', data: { outcome: 'shared' } });
      await deliver();
      const [first] = cardsOf('karin');
      expect(first!.text).toContain('Flere elever tager ordet i matematik.');
      expect(first!.text).toContain('Handleplan');
      expect(cardsOf('lars')).toEqual([]);

      // Lars changes the goal: the consultant gets the new version, the change marked.
      deps.clock.advance(60 * 60_000);
      await savePlan('lars', { ...PLAN_FIELDS, 'field:maal': 'Flere elever tager ordet i matematik og dansk.' });
      // The same text again is no new version and posts nothing.
      await savePlan('lars', { ...PLAN_FIELDS, 'field:maal': 'Flere elever tager ordet i matematik og dansk.' });
      await deliver();
      expect(cardsOf('karin')).toHaveLength(2);
      expect(cardsOf('karin')[1]!.text).toContain('(ændret)');
      expect(await deps.store.documentVersions(TEAM, 'actionPlan', 'handleplan')).toHaveLength(2);

      // /sparring handleplan: the plan as it stands and who changed what, when.
      const shown = JSON.stringify(await runCommand(deps, as('sofie'), '/sparring handleplan'));
      expect(shown).toContain('matematik og dansk');
      expect(shown).toMatch(/"by":"Lars"/);
      expect(shown).toMatch(/"version":1,"by":"Lene"/);

      // The update card after the conversation starts with the plan as it is, not empty.
      deps.clock.set(sentAt(opdateret1.id));
      await schedule();
      await deliver();
      const update = cardsOf('lene').find((c) => c.key === opdateret1.id)!;
      expect(update.text).toContain('matematik og dansk');
      expect(update.text).toContain('Makkersnak og exit-sedler i to klasser.');
    });

    it('opens the læringssamtale on the plan’s tiltag with Styr læringsamtalen’s four questions', async () => {
      await savePlan('lene', PLAN_FIELDS);
      deps.clock.set(sentAt(samtale1.id));
      await schedule();
      await deliver();
      const card = cardsOf('sofie').find((c) => c.key === samtale1.id)!.text;
      expect(card).toContain('Handleplanens tiltag og tegn');
      expect(card).toContain('Makkersnak og exit-sedler i to klasser.');
      expect(card.indexOf('Makkersnak')).toBeLessThan(card.indexOf('Hvad har I gjort?'));
      for (const question of ['Hvad har I gjort?', 'Hvilken effekt havde det?', 'Hvad lærte I af det?', 'Og hvad skal så justeres og være jeres næste skridt?']) expect(card).toContain(question);
    });

    it('refuses a staff member’s save and keeps no version', async () => {
      const reply = await savePlan('sofie', PLAN_FIELDS);
      expect(reply).toMatchObject({ card: 'error', data: { code: 'wrongRole' } });
      expect(await deps.store.documentVersions(TEAM, 'actionPlan', 'handleplan')).toEqual([]);
    });
  });

  describe('the shared I DO ART draft', () => {
    beforeEach(async () => {
      await savePlan('lene', PLAN_FIELDS);
      deps.clock.set(sentAt(idoart1.id));
      await schedule();
      await deliver();
    });

    it('reaches the consultant and the leaders prefilled from the programme and the handleplan', () => {
      for (const userId of ['karin', 'lene', 'lars']) {
        const draft = cardsOf(userId).find((c) => c.key === idoart1.id)!.text;
        expect(draft).toContain('Forforståelse');
        expect(draft).toContain('Styr læringsamtalen');
        expect(draft).toContain('Skolens mål i handleplanen: Flere elever tager ordet i matematik.');
        expect(draft).toContain('Tiltag: Makkersnak og exit-sedler i to klasser.');
        expect(draft).toContain('2 timer');
      }
      expect(cardsOf('sofie').some((c) => c.key === idoart1.id)).toBe(false);
    });

    it('shares each side’s version with the other, keeps who and when, and goes back to the leaders with the consultant’s comment', async () => {
      const mine = await draftClick('lene', 'saveDraft', { 'section:intention': 'At samle op på makkersnak.' });
      expect(mine).toMatchObject({ card: 'ido-art-draft', data: { outcome: 'saved' } });
      await deliver();
      const shared = cardsOf('karin').at(-1)!;
      expect(shared.key).toBe(`${idoart1.id}#v1`);
      expect(shared.text).toContain('At samle op på makkersnak.');
      expect(shared.text).toMatch(/1\. Lene, [^"]+ · gemt/);

      // Sending back needs a comment; without one nothing is kept.
      expect(await draftClick('karin', 'sendBack', { 'section:intention': 'At samle op på makkersnak.' })).toMatchObject({ card: 'error', data: { code: 'commentNeeded' } });
      expect(await deps.store.documentVersions(TEAM, 'idoArt', idoart1.id)).toHaveLength(1);
      deps.clock.advance(30 * 60_000);
      await draftClick('karin', 'sendBack', { 'section:intention': 'At samle op på makkersnak.', comment: 'Tilføj elevernes stemme under A.' });
      await deliver();
      const back = cardsOf('lene').at(-1)!.text;
      expect(back).toContain('Konsulenten har sendt udkastet tilbage med denne kommentar:');
      expect(back).toContain('Tilføj elevernes stemme under A.');
      expect(back).toMatch(/2\. Karin, [^"]+ · sendt tilbage/);
      expect(cardsOf('sofie').filter((c) => c.key?.startsWith(idoart1.id))).toEqual([]);
    });

    it('is approved by the consultant only; approved, it is queued for the participants days before and no longer changes', async () => {
      expect(await draftClick('lene', 'approve')).toMatchObject({ card: 'error', data: { code: 'wrongRole', who: ['consultant'] } });
      expect(await deps.store.documentVersions(TEAM, 'idoArt', idoart1.id)).toEqual([]);

      const approved = await draftClick('karin', 'approve', { 'section:intention': 'At samle op på makkersnak.', 'section:agenda': '1. Forforståelse\n2. Udforskning' });
      const postAt = local(samtale1.start).minus({ days: 3 }).set({ hour: 8, minute: 0 });
      expect(approved).toMatchObject({ card: 'ido-art-draft', data: { outcome: 'approved', status: 'approved', queuedFor: postAt.toUTC().toISO() } });
      // "Approved" means queued: the participants' items are in the outbox, due days before the conversation.
      for (const userId of ['lene', 'lars', 'sofie', 'karin']) expect(await delivery.outbox.get(TEAM, `${samtale1.id}#ido-art`, userId)).toMatchObject({ state: 'pending' });
      await deliver();
      expect(cardsOf('sofie').filter((c) => c.key === `${samtale1.id}#ido-art`)).toEqual([]);

      deps.clock.set(postAt.toUTC().toISO()!);
      await deliver();
      const agenda = cardsOf('sofie').find((c) => c.key === `${samtale1.id}#ido-art`)!.text;
      expect(agenda).toContain('Dagsorden (I DO ART)');
      expect(agenda).toContain('At samle op på makkersnak.');
      expect(agenda).toContain('Godkendt af Karin');
      expect(cardsOf('jens')).toEqual([]);

      // Approved is final: neither side's save or a second approval changes it.
      for (const [userId, verb] of [
        ['lene', 'saveDraft'],
        ['karin', 'approve'],
      ] as const) {
        expect(await draftClick(userId, verb, { 'section:intention': 'Noget andet' })).toMatchObject({ card: 'error', data: { code: 'draftApproved' } });
      }
      expect(await deps.store.documentVersions(TEAM, 'idoArt', idoart1.id)).toHaveLength(1);
    });

    it('goes out at once when approved after the day it was meant to go', async () => {
      deps.clock.set(local(samtale1.start).minus({ days: 1 }).toUTC().toISO()!);
      const approved = await draftClick('karin', 'approve', { 'section:intention': 'Sent, men godkendt.' });
      expect(approved).toMatchObject({ data: { queuedFor: deps.clock.now().toISOString() } });
      await deliver();
      expect(cardsOf('sofie').find((c) => c.key === `${samtale1.id}#ido-art`)!.text).toContain('Sent, men godkendt.');
    });

    it('refuses changes once the conversation has been held', async () => {
      deps.clock.set(samtale1.end);
      expect(await draftClick('karin', 'approve')).toMatchObject({ card: 'error', data: { code: 'conversationHeld' } });
      expect(await deps.store.documentVersions(TEAM, 'idoArt', idoart1.id)).toEqual([]);
    });
  });

  it('sends the beslutningsreferat to the conversation’s participants and the skolechef', async () => {
    deps.clock.set(sentAt(referat.id));
    await schedule();
    await deliver();
    const form = cardsOf('lene').find((c) => c.key === referat.id)!.text;
    expect(form).toContain('Referatet sendes til: skoleleder (ledelsesteam), skolechef.');
    expect(cardsOf('jens').some((c) => c.key === referat.id)).toBe(false);

    const fields = { 'field:data': 'Trivselsmålingen og de nationale test.', 'field:indsatser': 'Elevernes stemme i undervisningen.', 'field:aftaler': 'Handleplan inden jul.' };
    const reply = await handleCardAction(deps, as('lene'), { verb: 'send', data: { card: 'decision-minutes', ref: ref(referat) }, inputs: fields });
    expect(reply).toMatchObject({ card: 'answered', data: { outcome: 'minutesSent' } });
    // A resent click posts once.
    await handleCardAction(deps, as('lene'), { verb: 'send', data: { card: 'decision-minutes', ref: ref(referat) }, inputs: fields });
    await deliver();
    for (const userId of ['jens', 'lars']) {
      const minutes = cardsOf(userId).filter((c) => c.text.includes('Beslutningsreferat') && c.key !== referat.id);
      expect(minutes).toHaveLength(1);
      expect(minutes[0]!.text).toContain('Elevernes stemme i undervisningen.');
    }
    expect(cardsOf('sofie').some((c) => c.text.includes('Elevernes stemme'))).toBe(false);
    expect(cardsOf('lene').some((c) => c.text.includes('Elevernes stemme') && c.key !== referat.id)).toBe(false);
  });

  it('lets a leader give the skolechef’s role by the programme’s own word for it', async () => {
    expect(await runCommand(deps, as('lene'), '/sparring role Sofie skolechef')).toMatchObject({ card: 'roles', data: { changed: { name: 'Sofie', role: 'chief' } } });
    expect((await deps.store.members(TEAM)).find((m) => m.userId === 'sofie')?.roles).toEqual(['chief']);
    expect(await runCommand(deps, as('sofie'), '/sparring role Lene skolechef')).toMatchObject({ card: 'error', data: { code: 'onlyLeaders' } });
  });
});
