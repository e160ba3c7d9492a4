// The RateLimiter on Redis and in memory, side by side over a long random run: the same answer from both at
// every step, beyond the chosen cases of the contract (delivery-rate-limiter.test.ts).
import { afterEach, describe, expect, it } from 'vitest';
import type { LimitedSend, PlatformLimits } from '../../src/app/ports.ts';
import { MemoryRateLimiter } from '../../src/store/embedded/memory-delivery.ts';
import { DELIVERIES, type DeliveryUnderTest } from '../support/delivery-ports.ts';
import { T0 } from './delivery-fixtures.ts';

/**
 * The two limiters implement the same rules twice (Lua for Redis, TypeScript in memory). Beyond the cases
 * of the contract, a long run of random steps (sends asked for, given back, throttled, fan-outs paced; several tenants,
 * conversations and replicas, time moving on unevenly) must get the same answer from both at every step.
 */
describe('RateLimiter: Redis and memory answer alike', () => {
  const LIMITS: Record<string, PlatformLimits> = {
    teams: {
      tenant: [
        { limit: 4, windowMs: 1_000 },
        { limit: 7, windowMs: 3_000 },
      ],
      conversation: [
        { limit: 2, windowMs: 500 },
        { limit: 3, windowMs: 2_000 },
      ],
      marginMs: 7,
    },
    slack: { tenant: [{ limit: 4, windowMs: 2_000 }], conversation: [{ limit: 1, windowMs: 1_000 }] },
  };
  let redis: DeliveryUnderTest;
  afterEach(() => redis.cleanup());

  it('at every one of 2,000 random steps', async () => {
    redis = await DELIVERIES[0]![1](LIMITS);
    const replicas = [redis.limiter, redis.replica().limiter];
    const memory = new MemoryRateLimiter(LIMITS);
    let seed = 17;
    const random = () => (seed = (seed * 16_807) % 2_147_483_647) / 2_147_483_647;
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
    let now = T0;
    const steps: string[] = [];
    for (let step = 0; step < 2_000; step++) {
      // Mostly close together, so the windows fill; now and then a window's span, so sends land on their very edges.
      now += random() < 0.85 ? pick([0, 0, 1, 7, 13]) : pick([493, 500, 506, 507, 508, 1_000, 1_006, 1_007, 1_008, 2_007]);
      const send: LimitedSend = {
        platform: pick(['teams', 'teams', 'teams', 'teams', 'slack', 'smtp']),
        tenant: pick(['t1', 't1', 't1', 't2']),
        conversation: pick(['a', 'b', 'c']),
        send: `s${Math.floor(random() * 10)}`,
      };
      const redisSide = pick(replicas);
      const op = random();
      let answers: [unknown, unknown];
      if (op < 0.7) answers = [await redisSide.acquire(send, now), await memory.acquire(send, now)];
      else if (op < 0.8) answers = [await redisSide.release(send), await memory.release(send)];
      else if (op < 0.92) {
        const until = now + pick([1_000, 2_000, 5_000]);
        answers = [await redisSide.throttle(send, until, now), await memory.throttle(send, until, now)];
      } else {
        const count = pick([1, 3, 20]);
        answers = [await redisSide.pace(send.platform, send.tenant, count, now), await memory.pace(send.platform, send.tenant, count, now)];
      }
      steps.push(`${step} ${op < 0.7 ? 'acquire' : op < 0.8 ? 'release' : op < 0.92 ? 'throttle' : 'pace'} ${JSON.stringify(send)} at +${now - T0}: ${JSON.stringify(answers)}`);
      if (JSON.stringify(answers[0]) !== JSON.stringify(answers[1])) expect(steps.slice(-8).join('\n')).toBe('the same answer from both');
    }
    // Enough of them refused (and so held) to exercise the search for a slot.
    expect(steps.filter((s) => /acquire.*: \[[1-9]/.test(s)).length).toBeGreaterThan(300);
  });
});
