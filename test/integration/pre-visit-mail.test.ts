import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { handleCardAction } from '../../src/app/actions/handle-card-action.ts';
import type { Actor, AppDeps } from '../../src/app/context.ts';
import type { Run, TeamRef } from '../../src/app/ports.ts';
import { renderAdaptiveCard } from '../../src/cards/render.ts';
import type { StoreAccess } from '../../src/cli/commands/person-data.ts';
import { runCli } from '../../src/cli/run.ts';
import { deliverDue, type DeliveryOptions } from '../../src/delivery/deliver.ts';
import { PLATFORM_LIMITS } from '../../src/delivery/limits.ts';
import { SmtpMailer } from '../../src/mail/smtp-mailer.ts';
import { workItemsFor } from '../../src/scheduler/fan-out.ts';
import { connectDelivery } from '../../src/store/redis/redis-delivery.ts';
import type { fakeClock, memoryLogger } from '../support/fakes.ts';
import { plan, programme, aRun } from '../support/plans.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';
import { mailingAppDeps } from '../support/app-deps.ts';
import { deleteNamespace } from '../support/redis-server.ts';

const odense = programme('odense-science-boernehoejde');
const TEAM: TeamRef = { tenant: 'odense', team: 'solsikken' };
const GUIDE = 'mette.vejleder@example.org';
const RUN: Run = aRun({
  team: TEAM,
  programmeId: odense.id,
  start: '2026-08-10',
  members: [
    { userId: 'leder', name: 'Lene', roles: ['leader'] },
    { userId: 's1', roles: ['staff'] },
    { userId: 'vejleder', name: 'Mette', roles: ['guide'], email: GUIDE },
  ],
});
const occurrences = plan(odense, RUN.start, { country: 'DK' }).occurrences;
const form = occurrences.find((o) => o.kind === 'preVisitMail')!;
const leader: Actor = { team: TEAM, user: { userId: 'leder', platform: 'local', platformUserId: 'leder' } };
const submit = {
  verb: 'sendToGuide',
  data: { card: 'pre-visit-form', ref: { programmeId: odense.id, activityId: form.activityId, occurrenceId: form.id } },
  inputs: { 'field:dato': '2026-10-06', 'field:oensker': 'Sparring på øvebanerne' },
};
const OPTIONS: DeliveryOptions = { concurrency: 4, leaseMs: 30_000, maxAttempts: 3, backoffMs: 1_000 };

describe('the pre-visit mail through the outbox and SMTP', () => {
  let smtp: TestSmtpServer;
  let delivery: ReturnType<typeof connectDelivery>;
  let namespace: string;
  let deps: AppDeps & { clock: ReturnType<typeof fakeClock>; logger: ReturnType<typeof memoryLogger> };
  const mailer = () => new SmtpMailer({ url: smtp.url, from: 'Sparringsbot <sparring@odense.example>' });
  const deliver = () => deliverDue({ ...deps, limiter: delivery.limiter, channels: {}, mailer: mailer() }, OPTIONS);

  beforeEach(async () => {
    smtp = await startSmtpServer();
    namespace = `mail-${Math.random().toString(36).slice(2)}`;
    delivery = connectDelivery(inject('redisUrl'), PLATFORM_LIMITS, namespace);
    deps = mailingAppDeps(delivery.outbox, odense, form.start);
    await deps.store.saveRun(RUN);
  });
  afterEach(async () => {
    await deleteNamespace(inject('redisUrl'), namespace);
    await delivery.close();
    await smtp.close();
  });

  it('arrives once, with the visit as a calendar invitation, however often the form is submitted', async () => {
    const first = await handleCardAction(deps, leader, submit);
    const second = await handleCardAction(deps, leader, submit);
    expect(first).toMatchObject({ card: 'pre-visit-sent', data: { guideName: 'Mette' } });
    expect(second.card).toBe('pre-visit-sent');
    // The click answers at once: nothing has gone to the mail server yet.
    expect(smtp.messages).toHaveLength(0);
    expect(await delivery.outbox.pending()).toBe(1);

    expect(await deliver()).toMatchObject({ sent: 1 });
    const [message] = await smtp.waitForMessages(1);
    expect(message!.envelope.rcptTo.map((r) => r.address)).toEqual([GUIDE]);
    expect(message!.mail.text).toContain('Sparring på øvebanerne');
    const calendar = message!.mail.attachments.find((a) => a.filename === 'invite.ics');
    expect(calendar?.content.toString()).toContain('BEGIN:VEVENT');
    await handleCardAction(deps, leader, submit);
    expect(await deliver()).toMatchObject({ sent: 0 });
    expect(smtp.messages).toHaveLength(1);
  });

  it('retries a server that answers 4xx, and sends once it accepts', async () => {
    smtp.refuse(451, 1);
    await handleCardAction(deps, leader, submit);
    expect(await deliver()).toMatchObject({ retrying: 1 });
    expect(smtp.messages).toHaveLength(0);
    deps.clock.advance(60_000);
    expect(await deliver()).toMatchObject({ sent: 1 });
    expect(smtp.messages).toHaveLength(1);
  });

  it('ends a mail the server keeps refusing as a dead letter that `sparring status` shows', async () => {
    smtp.refuse(451);
    await handleCardAction(deps, leader, submit);
    for (let attempt = 0; attempt < OPTIONS.maxAttempts; attempt++) {
      await deliver();
      deps.clock.advance(10 * 60_000);
    }
    expect(smtp.messages).toHaveLength(0);
    const out: string[] = [];
    const io = { out: { write: (s: string) => out.push(s) }, err: { write: (s: string) => out.push(s) } };
    const access: StoreAccess = {
      // The command lists the store's teams, then reads each one's dead letters.
      openStore: () => Object.assign(Object.create(deps.store), { close: async () => {} }),
      openOutbox: () => Object.assign(delivery.outbox, { close: async () => {} }),
    };
    const code = await runCli(['status'], io, access);
    expect(code).toBe(0);
    const printed = out.join('');
    expect(printed).toContain(`pre-visit:${form.id} → mail til ${GUIDE}`);
    expect(printed).toContain('451');
  });

  it('tells the leaders before they write when no mail can leave, and queues nothing', async () => {
    const withoutMail = { ...deps, canMail: false };
    const [item] = await workItemsFor(withoutMail, RUN, odense, plan(odense, RUN.start, { country: 'DK' }), form);
    const card = JSON.stringify(renderAdaptiveCard('pre-visit-form', item!.card!.data, { locale: 'da' }));
    expect(card).toContain('kan ikke sende mail til vejlederen');
    const reply = await handleCardAction(withoutMail, leader, submit);
    expect(reply).toMatchObject({ card: 'answered', data: { outcome: 'saved' } });
    expect(await delivery.outbox.pending()).toBe(0);
    // With a mail route the form promises nothing it cannot keep either way: no warning.
    const [mailed] = await workItemsFor(deps, RUN, odense, plan(odense, RUN.start, { country: 'DK' }), form);
    expect(JSON.stringify(renderAdaptiveCard('pre-visit-form', mailed!.card!.data, { locale: 'da' }))).not.toContain('kan ikke sende mail');
  });
});
