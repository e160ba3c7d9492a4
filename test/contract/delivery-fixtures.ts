// What the delivery contract suites share: the teams, the fake time, work items and how the outbox keeps them,
// and one describe per implementation of the delivery ports (test/support/delivery-ports.ts).
import { afterEach, beforeEach, describe } from 'vitest';
import type { LeasedItem, MailPayload, NewWorkItem, PlatformLimits, TeamRef, WorkItem } from '../../src/app/ports.ts';
import { DELIVERIES, type DeliveryPorts, type DeliveryUnderTest } from '../support/delivery-ports.ts';

export const TEAM: TeamRef = { tenant: 'tenant-1', team: '19:abc{weird}@thread.tacv2' };
export const OTHER: TeamRef = { tenant: 'tenant-2', team: 'other-team' };
export const T0 = Date.parse('2026-09-14T07:00:00.000Z');
export const LEASE = 30_000;
/** A lease the Redis run waits out (by Redis's clock): short, but far longer than the calls made while it must hold. */
export const SHORT = 1_000;
/** Taken items without their lease token (a new one each taking) and resumed flag, to compare with what is stored. */
export const unleased = (items: LeasedItem[]): WorkItem[] => items.map(({ lease: _lease, resumed: _resumed, ...item }) => item as WorkItem);
export const iso = (ms: number) => new Date(ms).toISOString();

export function cardItem(recipient: string, occurrenceId = 'refleksion-1', team = TEAM, title = 'Hvad lagde du mærke til i dag?'): NewWorkItem {
  return {
    team,
    occurrenceId,
    recipient,
    card: { name: 'reflection-prompt', data: { title, options: ['ja', 'nej'] }, locale: 'da', timeZone: 'Europe/Copenhagen', template: { type: 'AdaptiveCard' } },
  };
}

/** Typed as a mail item, so that a test may build another from its `mail`. */
export const mailItem: NewWorkItem & MailPayload = {
  team: TEAM,
  occurrenceId: 'mail:besoeg-1',
  recipient: 'mail:mette@example.org',
  mail: { to: 'mette@example.org', subject: 'Plan for besøget', text: 'Hej Mette\n\nHer er vores plan.', ics: 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n' },
};

/** An item as the outbox keeps it. */
export const stored = (item: NewWorkItem, updatedAt: number, extra: Partial<WorkItem> = {}) => ({ ...item, state: 'pending', attempts: 0, updatedAt: iso(updatedAt), ...extra }) as WorkItem;
/** A sent item as the outbox keeps it: its card's name, locale and time zone, or its mail's address and subject; nothing of the content. */
export function asSent(item: NewWorkItem, updatedAt: number, messageId: string, extra: Partial<WorkItem> = {}): WorkItem {
  const payload = item.card ? { card: { name: item.card.name, locale: item.card.locale, timeZone: item.card.timeZone } } : { mail: { to: item.mail.to, subject: item.mail.subject, text: '' } };
  return { team: item.team, occurrenceId: item.occurrenceId, recipient: item.recipient, ...payload, state: 'sent', attempts: 0, messageId, updatedAt: iso(updatedAt), ...extra } as WorkItem;
}
export const recipients = (items: WorkItem[]) => items.map((i) => i.recipient);
/** Items due at the same time may come in any order. */
export const byRecipient = <T extends WorkItem>(items: T[]) => [...items].sort((a, b) => a.recipient.localeCompare(b.recipient));

/** Small limits, so that the contract can count to them: 5 a second per tenant, 2 a second per conversation. */
const SMALL: Record<string, PlatformLimits> = { teams: { tenant: [{ limit: 5, windowMs: 1_000 }], conversation: [{ limit: 2, windowMs: 1_000 }] } };

/**
 * One describe per delivery implementation, each test on ports of its own with the SMALL limits. The body is
 * given the running test's ports through one object that forwards to them, so a test reads `ports.outbox`
 * and `subject.replica()` as it would variables set in a beforeEach.
 */
export function eachDelivery(body: (subject: DeliveryUnderTest, ports: DeliveryPorts) => void) {
  describe.each(DELIVERIES)('delivery contract: %s', (_name, factory) => {
    let current: DeliveryUnderTest;
    beforeEach(async () => {
      current = await factory(SMALL);
    });
    afterEach(() => current.cleanup());
    const subject: DeliveryUnderTest = {
      get outbox() {
        return current.outbox;
      },
      get claims() {
        return current.claims;
      },
      get limiter() {
        return current.limiter;
      },
      replica: () => current.replica(),
      leaseRunsOut: (leaseMs) => current.leaseRunsOut(leaseMs),
      cleanup: () => current.cleanup(),
    };
    body(subject, subject);
  });
}
