// Bilag B from the leaders' side and the guide's, through the scheduler, the outbox, a chat channel and a
// real SMTP server: the leaders' date in the mail and its invitation, their own notes kept out of it, a copy
// to the other leader, the form again the day before the deadline, word to the guide once it has passed,
// and a mail the server refuses reported to the leaders in chat.
import ICAL from 'ical.js';
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
import { SmtpMailer } from '../../src/mail/smtp-mailer.ts';
import { tick } from '../../src/scheduler/tick.ts';
import { connectDelivery } from '../../src/store/redis/redis-delivery.ts';
import { RecordingChannel } from '../support/delivery.ts';
import type { fakeClock, memoryLogger } from '../support/fakes.ts';
import { aRun, programme } from '../support/plans.ts';
import { deleteNamespace } from '../support/redis-server.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';
import { mailingAppDeps } from '../support/app-deps.ts';

const odense = programme('odense-science-boernehoejde');
const TEAM: TeamRef = { tenant: 'odense', team: 'solsikken' };
const ZONE = 'Europe/Copenhagen';
const GUIDE = 'mette.vejleder@example.org';
const RUN: Run = aRun({
  team: TEAM,
  programmeId: odense.id,
  start: '2026-08-10',
  timeZone: ZONE,
  members: [
    { userId: 'lene', name: 'Lene', roles: ['leader'] },
    { userId: 'lars', name: 'Lars', roles: ['leader'] },
    { userId: 's1', roles: ['staff'] },
    { userId: 'vejleder', name: 'Mette', roles: ['guide'], email: GUIDE },
  ],
});
// The plan the scheduler fires from: the run's own (its calendar, its zone).
const occurrences = planOf(RUN, odense).occurrences;
const form = occurrences.find((o) => o.activityId === 'mail-til-vejleder-1')!;
/** When the form itself goes out: 10 working days before the visit. */
const FORM_AT = runSends(RUN, odense, planOf(RUN, odense)).find((s) => s.key === form.id)!.at;
const visit = occurrences.find((o) => o.activityId === 'vejledningsbesoeg-1')!;
const local = (iso: string) => DateTime.fromISO(iso, { zone: ZONE });
const as = (userId: string): Actor => ({ team: TEAM, user: { userId, platform: 'teams', platformUserId: userId } });
/** The leaders' own date: two days after the plan's, at the plan's time of day. */
const CHOSEN = local(visit.start).plus({ days: 2 });
const submit = {
  verb: 'sendToGuide',
  data: { card: 'pre-visit-form', ref: { programmeId: odense.id, activityId: form.activityId, occurrenceId: form.id } },
  inputs: { 'field:dato': CHOSEN.toISODate()!, 'field:deltagere': 'Lene og Lars', 'field:oensker': 'Sparring på øvebanerne', 'field:egne-noter': 'Husk at bestille kaffe' },
};
const OPTIONS: DeliveryOptions = { concurrency: 4, leaseMs: 30_000, maxAttempts: 3, backoffMs: 1_000 };

describe('Bilag B: the plan for the guide’s visit', () => {
  let smtp: TestSmtpServer;
  let delivery: ReturnType<typeof connectDelivery>;
  let namespace: string;
  let channel: RecordingChannel;
  let deps: AppDeps & { clock: ReturnType<typeof fakeClock>; logger: ReturnType<typeof memoryLogger> };
  const deliver = () =>
    deliverDue({ ...deps, limiter: delivery.limiter, channels: { teams: channel }, mailer: new SmtpMailer({ url: smtp.url, from: 'Sparringsbot <sparring@odense.example>' }) }, OPTIONS);
  const schedule = () => tick({ ...deps, claims: delivery.claims, owner: 'replica-1' });
  const sentTo = (userId: string) => channel.sent.filter((s) => s.to === userId).map((s) => JSON.stringify(s.message.card));
  /** The Bilag B cards a person got (the form, its copy, the notice of a refused mail), not the programme's others. */
  const bilagB = (userId: string) => sentTo(userId).filter((card) => card.includes('Bilag B') || card.includes('Mailen blev ikke sendt'));
  const ofForm = (keys: string[]) => keys.filter((key) => key.startsWith(form.id));

  beforeEach(async () => {
    smtp = await startSmtpServer();
    namespace = `bilag-b-${Math.random().toString(36).slice(2)}`;
    delivery = connectDelivery(inject('redisUrl'), PLATFORM_LIMITS, namespace);
    channel = new RecordingChannel();
    deps = mailingAppDeps(delivery.outbox, odense, form.start);
    await deps.store.saveRun(RUN);
    for (const { userId } of RUN.members) await deps.store.saveConversation(TEAM, { platform: 'teams', key: userId, reference: { user: userId } });
  });
  afterEach(async () => {
    await deleteNamespace(inject('redisUrl'), namespace);
    await delivery.close();
    await smtp.close();
  });

  it('mails the guide the seed’s fields on the leaders’ date, with that date in the invitation, and not their own notes', async () => {
    const reply = await handleCardAction(deps, as('lene'), submit);
    expect(reply).toMatchObject({ card: 'pre-visit-sent', data: { visitAt: CHOSEN.toUTC().toISO() } });
    expect(JSON.stringify(reply)).not.toContain('Husk at bestille kaffe');
    await deliver();
    const [message] = await smtp.waitForMessages(1);
    expect(message!.envelope.rcptTo.map((r) => r.address)).toEqual([GUIDE]);
    expect(message!.mail.text).toContain('Lene og Lars');
    expect(message!.mail.text).not.toContain('Husk at bestille kaffe');
    expect(message!.mail.subject).toContain(`${CHOSEN.day}. ${CHOSEN.setLocale('da').toFormat('LLLL yyyy')}`);
    const ics = message!.mail.attachments.find((a) => a.filename === 'invite.ics')!.content.toString();
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(ics)).getFirstSubcomponent('vevent')!);
    expect(event.startDate.toJSDate().toISOString()).toBe(CHOSEN.toUTC().toISO());
    expect(event.endDate.toJSDate().getTime() - event.startDate.toJSDate().getTime()).toBe(Date.parse(visit.end) - Date.parse(visit.start));
    expect(event.description).not.toContain('Husk at bestille kaffe');
    // The guide is not asked to fill in the form: no card of it reaches the guide's chat.
    expect(bilagB('vejleder')).toEqual([]);
  });

  it('gives the other leader a copy in chat saying who sent it; the one who sent it has theirs as the answer', async () => {
    await handleCardAction(deps, as('lene'), submit);
    await deliver();
    const [copy] = bilagB('lars');
    expect(copy).toContain('Sendt af Lene.');
    expect(copy).toContain('Lene og Lars');
    expect(copy).not.toContain('Husk at bestille kaffe');
    expect(bilagB('lene')).toEqual([]);
  });

  it('sends the form again the day before the deadline and tells the guide by mail once it has passed; status shows it late', async () => {
    deps.clock.set(FORM_AT);
    expect(ofForm((await schedule()).fired)).toEqual([form.id]);
    await deliver();
    expect(bilagB('lene')).toHaveLength(1);
    expect(bilagB('lene')[0]).not.toContain('Planen er ikke sendt endnu');
    expect(bilagB('vejleder')).toEqual([]);

    deps.clock.set(local(form.start).minus({ days: 1 }).toUTC().toISO()!);
    expect(ofForm((await schedule()).fired)).toEqual([`${form.id}#form-reminder`]);
    await deliver();
    for (const leader of ['lene', 'lars']) expect(bilagB(leader).at(-1)).toContain('Planen er ikke sendt endnu');
    expect(smtp.messages).toHaveLength(0);

    deps.clock.set(form.start);
    expect(ofForm((await schedule()).fired)).toEqual([`${form.id}#late`]);
    await deliver();
    const [late] = await smtp.waitForMessages(1);
    expect(late!.envelope.rcptTo.map((r) => r.address)).toEqual([GUIDE]);
    expect(late!.mail.subject).toMatch(/^Planen for vejledningsbesøget .* er forsinket$/);
    expect(late!.mail.text).toContain('Lederne har ikke sendt det endnu');
    const status = JSON.stringify(await runCommand(deps, as('lene'), 'status'));
    expect(status).toContain('"late":[{');
    // Sent late after all: status no longer says so, and the mail goes out as always.
    await handleCardAction(deps, as('lars'), submit);
    expect(JSON.stringify(await runCommand(deps, as('lene'), 'status'))).toContain('"late":[]');
  });

  it('sends neither the reminder nor the late notice when the plan went in time', async () => {
    deps.clock.set(FORM_AT);
    expect(ofForm((await schedule()).fired)).toEqual([form.id]);
    deps.clock.set(local(form.start).minus({ days: 3 }).toUTC().toISO()!);
    await handleCardAction(deps, as('lene'), submit);
    deps.clock.set(local(form.start).minus({ days: 1 }).toUTC().toISO()!);
    const dayBefore = await schedule();
    deps.clock.set(form.start);
    const deadline = await schedule();
    expect([...dayBefore.answered, ...deadline.answered]).toEqual([`${form.id}#form-reminder`, `${form.id}#late`]);
    expect(ofForm([...dayBefore.fired, ...deadline.fired])).toEqual([]);
    await deliver();
    expect(smtp.messages.map((m) => m.mail.subject)).toEqual([expect.stringMatching(/^Planlægning af vejledningsbesøget/)]);
  });

  it('tells the leaders in chat when the mail server refuses the guide’s word that the plan is late', async () => {
    deps.clock.set(form.start);
    smtp.refuse(550);
    await schedule();
    await deliver();
    await deliver();
    expect(smtp.messages).toHaveLength(0);
    for (const leader of ['lene', 'lars'])
      expect(
        bilagB(leader).find((c) => c.includes('Mailen blev ikke sendt')),
        leader,
      ).toContain('ved altså ikke, at planen er forsinket');
  });

  it('tells the leaders in chat, with the server’s reason, when the mail server refuses the plan for good', async () => {
    smtp.refuse(550);
    await handleCardAction(deps, as('lene'), submit);
    await deliver();
    // The dead letter's notice is itself queued: the next pass posts it.
    await deliver();
    expect(smtp.messages).toHaveLength(0);
    for (const leader of ['lene', 'lars']) {
      const notice = bilagB(leader).find((c) => c.includes('Mailen blev ikke sendt'));
      expect(notice, leader).toContain('550');
      expect(notice).toContain(GUIDE);
    }
  });
});
