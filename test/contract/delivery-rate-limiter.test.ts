// The RateLimiter contract, on every implementation: sends counted per conversation and per tenant in sliding
// windows, slots held for the refused, 429s and 5xx answered, fan-outs paced; first at small limits it can
// count to, then at the platforms' own. What keeps delivery within what Teams and Slack accept.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LimitedSend } from '../../src/app/ports.ts';
import { PLATFORM_LIMITS } from '../../src/delivery/limits.ts';
import { DELIVERIES, type DeliveryUnderTest } from '../support/delivery-ports.ts';
import { eachDelivery, T0 } from './delivery-fixtures.ts';

eachDelivery((subject, ports) => {
  describe('RateLimiter', () => {
    /** A send of attempt 0 to `conversation`, named after itself unless told. */
    const send = (conversation: string, id = conversation, tenant = 'tenant-1'): LimitedSend => ({ platform: 'teams', tenant, conversation, send: id });

    it('counts sends per conversation in a sliding window; a refused send is given the next slot that fits and holds it', async () => {
      const { limiter } = ports;
      const t = T0;
      expect(await limiter.acquire(send('c1', 'a'), t)).toBe(0);
      expect(await limiter.acquire(send('c1', 'b'), t + 100)).toBe(0);
      // Full until the send at t leaves the window.
      expect(await limiter.acquire(send('c1', 'c'), t + 200)).toBe(800);
      // Another conversation, and the same conversation id in another tenant, have their own windows.
      expect(await limiter.acquire(send('c2'), t + 200)).toBe(0);
      expect(await limiter.acquire(send('c1', 'e', 'tenant-2'), t + 200)).toBe(0);
      // The slot at t + 1000 is c's: the next refused send gets the one after it.
      expect(await limiter.acquire(send('c1', 'd'), t + 999)).toBe(101);
      expect(await limiter.acquire(send('c1', 'c'), t + 1_000)).toBe(0);
      expect(await limiter.acquire(send('c1', 'd'), t + 1_000)).toBe(100);
      expect(await limiter.acquire(send('c1', 'd'), t + 1_100)).toBe(0);
      // A platform without limits is never held.
      for (let i = 0; i < 10; i++) expect(await limiter.acquire({ platform: 'smtp', tenant: 'tenant-1', conversation: 'c1', send: `m${i}` }, t)).toBe(0);
    });

    it('counts a tenant’s sends across its conversations and replicas; the holders of the slots that free up go first', async () => {
      const { limiter } = ports;
      const other = subject.replica().limiter;
      const t = T0;
      for (let i = 0; i < 5; i++) expect(await (i % 2 ? other : limiter).acquire(send(`c${i}`), t)).toBe(0);
      // Five slots free up at t + 1000 and go to the first five refused; the sixth waits a window more.
      for (let i = 5; i < 10; i++) expect(await (i % 2 ? other : limiter).acquire(send(`c${i}`), t + 500)).toBe(500);
      expect(await limiter.acquire(send('c10'), t + 500)).toBe(1_500);
      expect(await other.acquire(send('late'), t + 1_000)).toBe(1_000);
      for (let i = 5; i < 10; i++) expect(await (i % 2 ? limiter : other).acquire(send(`c${i}`), t + 1_000)).toBe(0);
      // Other tenants are not held.
      expect(await limiter.acquire(send('c5', 'x', 'tenant-2'), t)).toBe(0);
    });

    it('a slot held is the holder’s when it comes on time; others get only what is left, and a holder late is counted afresh', async () => {
      const { limiter } = ports;
      const t = T0;
      for (let i = 0; i < 5; i++) await limiter.acquire(send(`c${i}`), t);
      expect(await limiter.acquire(send('held'), t)).toBe(1_000);
      expect(await limiter.acquire(send('late'), t)).toBe(1_000);
      for (let i = 0; i < 3; i++) expect(await limiter.acquire(send(`n${i}`), t + 1_000)).toBe(0);
      expect(await limiter.acquire(send('n3'), t + 1_000)).toBe(1_000);
      expect(await limiter.acquire(send('held'), t + 1_000)).toBe(0);
      // Late by more than the margin (none here): its slot is given up, and the window it comes to is full.
      expect(await limiter.acquire(send('late'), t + 1_001)).toBe(999);
    });

    it('a held slot whose holder is late lapses: it counts no more, the next sends have its room, and the holder is counted afresh', async () => {
      const { limiter } = ports;
      const other = subject.replica().limiter;
      const t = T0;
      for (let i = 0; i < 5; i++) expect(await limiter.acquire(send(`c${i}`), t)).toBe(0);
      for (let i = 5; i < 10; i++) expect(await limiter.acquire(send(`c${i}`), t)).toBe(1_000);
      // None of the five holders comes by t + 1000 (plus the margin, none here): a worker that fell behind.
      for (let i = 10; i < 15; i++) expect(await other.acquire(send(`c${i}`), t + 1_001)).toBe(0);
      expect(await limiter.acquire(send('c5'), t + 1_001)).toBe(1_000);
    });

    it('holds slots at most five windows ahead: a tenant booked further asks a send to come back then, holding nothing', async () => {
      const { limiter } = ports;
      const t = T0;
      for (let i = 0; i < 5; i++) await limiter.acquire(send(`c${i}`), t);
      const waits = [];
      for (let i = 5; i < 30; i++) waits.push(await limiter.acquire(send(`c${i}`), t));
      expect(waits).toEqual([1_000, 2_000, 3_000, 4_000, 5_000].flatMap((wait) => [wait, wait, wait, wait, wait]));
      expect(await limiter.acquire(send('c30'), t)).toBe(5_000);
      expect(await limiter.acquire(send('c31'), t)).toBe(5_000);
      // Back then, c30 holds nothing: that moment's slots are taken, and it is given the next.
      expect(await limiter.acquire(send('c30'), t + 5_000)).toBe(1_000);
    });

    it('a send the platform did not take (a 5xx) no longer counts', async () => {
      const { limiter } = ports;
      const t = T0;
      for (let i = 0; i < 5; i++) await limiter.acquire(send(`c${i}`), t);
      await subject.replica().limiter.release(send('c2'));
      expect(await limiter.acquire(send('c5'), t + 10)).toBe(0);
      expect(await limiter.acquire(send('c6'), t + 10)).toBe(990);
      // Releasing a send that is not counted changes nothing.
      await limiter.release(send('nobody'));
      expect(await limiter.acquire(send('c7'), t + 10)).toBe(990);
    });

    it('after a 429 holds the conversation until its Retry-After and the send no longer counts; one 429 does not slow the tenant', async () => {
      const { limiter } = ports;
      const other = subject.replica().limiter;
      const t = T0;
      for (let i = 0; i < 4; i++) await limiter.acquire(send(`c${i}`), t);
      expect(await limiter.acquire(send('hit', 'h#0'), t)).toBe(0);
      await limiter.throttle(send('hit', 'h#0'), t + 5_000, t + 10);
      expect(await limiter.acquire(send('hit', 'h#0'), t + 10)).toBe(4_990);
      // The 429 gave its slot back: the tenant's fifth send of the second goes at once, the sixth waits.
      expect(await limiter.acquire(send('c4'), t + 20)).toBe(0);
      expect(await limiter.acquire(send('c5'), t + 20)).toBe(980);
      // An earlier Retry-After does not shorten the wait.
      await other.throttle(send('hit', 'h#1'), t + 1_000, t + 2_000);
      expect(await limiter.acquire(send('hit', 'h#0'), t + 2_000)).toBe(3_000);
      expect(await other.acquire(send('hit', 'h#0'), t + 4_999)).toBe(1);
      expect(await limiter.acquire(send('hit', 'h#0'), t + 5_000)).toBe(0);
    });

    it('slows the whole tenant to 80% of its rate when 429s repeat within its window, until their Retry-After', async () => {
      const { limiter } = ports;
      const other = subject.replica().limiter;
      const t = T0;
      await limiter.throttle(send('a'), t + 5_000, t);
      // Two 429s a second apart are not repeated.
      await other.throttle(send('b'), t + 5_000, t + 1_000);
      expect(await Promise.all([0, 1, 2, 3, 4].map((i) => limiter.acquire(send(`c${i}`), t + 1_000)))).toEqual([0, 0, 0, 0, 0]);
      // A quarter of the limit (two of five) within one window: every worker keeps to 4 a second until t + 5000.
      await other.throttle(send('c', 'c#0', 'tenant-2'), t + 5_000, t);
      await limiter.throttle(send('d', 'd#0', 'tenant-2'), t + 5_000, t + 500);
      const slowed = [];
      for (let i = 0; i < 5; i++) slowed.push(await (i % 2 ? other : limiter).acquire(send(`s${i}`, `s${i}`, 'tenant-2'), t + 1_000));
      expect(slowed.slice(0, 4)).toEqual([0, 0, 0, 0]);
      expect(slowed[4]).toBeGreaterThan(0);
      // Other tenants keep their rate; the slowed one has its full rate again after the Retry-After.
      expect(await Promise.all([0, 1, 2, 3, 4].map((i) => limiter.acquire(send(`o${i}`, `o${i}`, 'tenant-3'), t + 1_000)))).toEqual([0, 0, 0, 0, 0]);
      const later = [];
      for (let i = 0; i < 5; i++) later.push(await limiter.acquire(send(`l${i}`, `l${i}`, 'tenant-2'), t + 6_500));
      expect(later).toEqual([0, 0, 0, 0, 0]);
    });

    it('paces a tenant’s fan-outs at its rate, each after those paced before, across replicas', async () => {
      const { limiter } = ports;
      const other = subject.replica().limiter;
      const t = T0;
      // 5 a second is one every 200 ms; paced 5% slower, one every 210 ms (the rest is room for retries).
      expect(await limiter.pace('teams', 'tenant-1', 3, t)).toEqual({ startMs: t, intervalMs: 210 });
      expect(await other.pace('teams', 'tenant-1', 2, t + 100)).toEqual({ startMs: t + 630, intervalMs: 210 });
      expect(await limiter.pace('teams', 'tenant-2', 10, t + 100)).toEqual({ startMs: t + 100, intervalMs: 210 });
      expect(await other.pace('teams', 'tenant-1', 1, t + 5_000)).toEqual({ startMs: t + 5_000, intervalMs: 210 });
      expect(await limiter.pace('smtp', 'tenant-1', 100, t)).toEqual({ startMs: t, intervalMs: 0 });
    });
  });
});

describe.each(DELIVERIES)('RateLimiter contract with the platforms’ limits: %s', (_name, factory) => {
  let subject: DeliveryUnderTest;
  beforeEach(async () => {
    subject = await factory(PLATFORM_LIMITS);
  });
  afterEach(() => subject.cleanup());

  it('keeps to Teams’ 7 a second and 8 in 2 seconds per conversation, and Slack’s 1 a second per channel, each window with its margin', async () => {
    const { limiter } = subject;
    const t = T0;
    const teams = (id: string): LimitedSend => ({ platform: 'teams', tenant: 'tenant-1', conversation: 'a:1', send: id });
    for (let i = 0; i < 7; i++) expect(await limiter.acquire(teams(`s${i}`), t)).toBe(0);
    expect(await limiter.acquire(teams('s7'), t)).toBe(1_020);
    expect(await limiter.acquire(teams('s7'), t + 1_020)).toBe(0);
    expect(await limiter.acquire(teams('s8'), t + 1_020)).toBe(1_000);
    const slack = (channel: string, id: string): LimitedSend => ({ platform: 'slack', tenant: 'T01', conversation: channel, send: id });
    expect(await limiter.acquire(slack('C01', 'a'), t)).toBe(0);
    expect(await limiter.acquire(slack('C01', 'b'), t + 400)).toBe(620);
    expect(await limiter.acquire(slack('C02', 'c'), t + 400)).toBe(0);
  });

  it('paces a Teams tenant at 50 a second, a Slack workspace at 300 a minute, each with its margin and 5% slower', async () => {
    const { limiter } = subject;
    expect(await limiter.pace('teams', 'tenant-1', 100, T0)).toEqual({ startMs: T0, intervalMs: 21.42 });
    expect(await limiter.pace('teams', 'tenant-1', 1, T0)).toEqual({ startMs: T0 + 2_142, intervalMs: 21.42 });
    expect(await limiter.pace('slack', 'T01', 3, T0)).toEqual({ startMs: T0, intervalMs: 210.07 });
    expect(await limiter.pace('slack', 'T01', 1, T0)).toEqual({ startMs: T0 + 631, intervalMs: 210.07 });
  });
});
