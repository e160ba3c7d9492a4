// The simulated ideal scheduler that bench:fanout reads its ratio against: the bound it reports must be
// the fake's own arithmetic, so a target can be checked against it before anyone chases it.
import { describe, expect, it } from 'vitest';
import { idealRatios } from '../../../bench/fanout/ideal-scheduler.ts';
import { limiterPlan } from '../../../src/delivery/limit-windows.ts';
import { TEAMS_LIMITS } from '../../../src/delivery/limits.ts';

const teams = { tenants: 10, limit: 50, windowMs: 1_000, throttleRate: 0.1, serverErrorRate: 0.03, retryAfterMs: 1_000 };
const seed = 1;

describe('the ideal scheduler of bench:fanout', () => {
  it('without faults sends a window full at a time: 1,002 a tenant are done at 20 s', () => {
    const ideal = idealRatios({ ...teams, itemsPerTenant: 1_002, throttleRate: 0, serverErrorRate: 0 }, 3, seed, 0.9);
    expect(ideal.median).toBeCloseTo(10_020 / 20_000 / 0.5, 6);
    expect(ideal.reachingTarget).toBe(1);
  });

  it('pays a Retry-After for a 429 in the last window: the quick run (102 a tenant) reaches 0.9 in under 1% of runs', () => {
    console.log(`seed ${seed}`);
    const quick = idealRatios({ ...teams, itemsPerTenant: 102 }, 500, seed, 0.9);
    expect(quick.median).toBeLessThan(0.7);
    expect(quick.reachingTarget).toBeLessThan(0.01);
  });

  it('leaves the full run (1,002 a tenant) above 0.9 in most runs', () => {
    const full = idealRatios({ ...teams, itemsPerTenant: 1_002 }, 200, seed, 0.9);
    expect(full.median).toBeGreaterThan(0.9);
    expect(full.median).toBeLessThan(1);
  });

  it('paced as delivery paces (the limit less the headroom, windows widened by the margin), stays under 0.9 in the full run', () => {
    const paced = idealRatios({ ...teams, itemsPerTenant: 1_002, paceIntervalMs: limiterPlan(TEAMS_LIMITS).paceIntervalMs }, 200, seed, 0.9);
    expect(paced.median).toBeLessThan(0.88);
    expect(paced.reachingTarget).toBeLessThan(0.05);
    // Paced at the exact limit instead, it reaches 0.9 about every other run.
    const atTheLimit = idealRatios({ ...teams, itemsPerTenant: 1_002, paceIntervalMs: 20 }, 200, seed, 0.9);
    expect(atTheLimit.median).toBeGreaterThan(0.89);
  });

  it('refuses fault rates that would never let an item through', () => {
    expect(() => idealRatios({ ...teams, itemsPerTenant: 10, throttleRate: 1 }, 1, seed, 0.9)).toThrow(RangeError);
  });
});
