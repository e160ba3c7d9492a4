// The Claims contract, on every implementation: one replica at a time fires an occurrence (others find it
// taken while its lease holds), and once completed it is fired for good; what keeps the scheduler's
// replicas from firing an occurrence twice.
import { describe, expect, it } from 'vitest';
import { eachDelivery, OTHER, T0, TEAM } from './delivery-fixtures.ts';

eachDelivery((subject, ports) => {
  describe('Claims', () => {
    it('lets one owner claim an occurrence; others find it taken until its lease runs out', async () => {
      const { claims } = ports;
      const other = subject.replica().claims;
      expect(await claims.claim(TEAM, 'tema-1', 'replica-a', 60_000, T0)).toBe('claimed');
      expect(await other.claim(TEAM, 'tema-1', 'replica-b', 60_000, T0 + 59_999)).toBe('taken');
      // The owner may claim again (carry on), which renews its lease.
      expect(await claims.claim(TEAM, 'tema-1', 'replica-a', 60_000, T0 + 1_000)).toBe('claimed');
      expect(await other.claim(TEAM, 'tema-1', 'replica-b', 60_000, T0 + 60_999)).toBe('taken');
      // Other occurrences and teams are free.
      expect(await other.claim(TEAM, 'tema-2', 'replica-b', 60_000, T0)).toBe('claimed');
      expect(await other.claim(OTHER, 'tema-1', 'replica-b', 60_000, T0)).toBe('claimed');
      // Once the lease has run out, another owner takes it over, and the first finds it taken.
      expect(await other.claim(TEAM, 'tema-1', 'replica-b', 60_000, T0 + 61_000)).toBe('claimed');
      expect(await claims.claim(TEAM, 'tema-1', 'replica-a', 60_000, T0 + 61_001)).toBe('taken');
      expect(await claims.fired(TEAM)).toEqual(new Set());
    });

    it('marks an occurrence fired for good when its owner completes it: every later claim finds it fired', async () => {
      const { claims } = ports;
      const other = subject.replica().claims;
      expect(await claims.claim(TEAM, 'tema-1', 'replica-a', 60_000, T0)).toBe('claimed');
      await claims.complete(TEAM, 'tema-1', 'replica-a');
      expect(await claims.fired(TEAM)).toEqual(new Set(['tema-1']));
      expect(await other.fired(TEAM)).toEqual(new Set(['tema-1']));
      expect(await other.claim(TEAM, 'tema-1', 'replica-b', 60_000, T0 + 1)).toBe('fired');
      expect(await claims.claim(TEAM, 'tema-1', 'replica-a', 60_000, T0 + 1)).toBe('fired');
      expect(await other.claim(TEAM, 'tema-1', 'replica-b', 60_000, T0 + 86_400_000)).toBe('fired');
      expect(await claims.fired(OTHER)).toEqual(new Set());
      await claims.claim(TEAM, 'tema-2', 'replica-a', 60_000, T0);
      await claims.complete(TEAM, 'tema-2', 'replica-a');
      expect(await claims.fired(TEAM)).toEqual(new Set(['tema-1', 'tema-2']));
    });

    it('an owner whose lease ran out, with no one taking over, may still complete', async () => {
      const { claims } = ports;
      expect(await claims.claim(TEAM, 'tema-1', 'replica-a', 1_000, T0)).toBe('claimed');
      await claims.complete(TEAM, 'tema-1', 'replica-a');
      expect(await claims.fired(TEAM)).toEqual(new Set(['tema-1']));
    });

    it('complete by a replica that does not hold the claim does not mark it fired, nor release the holder’s lease', async () => {
      const { claims } = ports;
      const other = subject.replica().claims;
      expect(await claims.claim(TEAM, 'tema-1', 'replica-a', 1_000, T0)).toBe('claimed');
      expect(await other.claim(TEAM, 'tema-1', 'replica-b', 60_000, T0 + 1_000)).toBe('claimed');
      await claims.complete(TEAM, 'tema-1', 'replica-a');
      expect(await claims.fired(TEAM)).toEqual(new Set());
      expect(await claims.claim(TEAM, 'tema-1', 'replica-c', 60_000, T0 + 1_500)).toBe('taken');
      await other.complete(TEAM, 'tema-1', 'replica-b');
      expect(await claims.fired(TEAM)).toEqual(new Set(['tema-1']));
      // Nor does completing an occurrence nobody claimed.
      await claims.complete(TEAM, 'tema-2', 'replica-a');
      expect(await claims.fired(TEAM)).toEqual(new Set(['tema-1']));
      expect(await claims.claim(TEAM, 'tema-2', 'replica-a', 60_000, T0)).toBe('claimed');
    });
  });
});
