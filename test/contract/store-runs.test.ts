// The contract of RunStore and MemberStore, on Redis and the embedded store: members are entries of their own.
import { expect, it } from 'vitest';
import type { Member } from '../../src/app/ports.ts';
import { eachStore, OTHER, run, TEAM } from './store-fixtures.ts';

const lene: Member = { userId: 'leder', name: 'Lene', roles: ['leader'] };
const soren: Member = { userId: 's1', name: 'Søren', roles: ['staff'] };
const mette: Member = { userId: 'vejleder', name: 'Mette', roles: ['guide'], email: 'mette@example.org' };
const aisha: Member = { userId: 'a2', roles: ['staff'] };

eachStore('RunStore', (subject) => {
  it('keeps a run and finds it again, also after a restart, with its members in the order added', async () => {
    const { store } = subject();
    const saved = run([lene, soren, mette], { channelKey: 'channel:19:x' });
    await store.saveRun(saved);
    expect(await store.getRun(TEAM)).toEqual(saved);
    expect(await subject().reopen().getRun(TEAM)).toEqual(saved);
    expect(await store.listRuns()).toEqual([saved]);
    expect(await store.getRun(OTHER)).toBeUndefined();
    expect(await store.listTeams()).toEqual([TEAM]);
  });

  it('saves the run’s own fields and adds or updates the members it carries, never dropping one', async () => {
    const { store } = subject();
    await store.saveRun(run([lene, soren]));
    await store.saveRun(run([{ ...soren, roles: ['staff', 'facilitator'] }, mette], { locale: 'en' }));
    const found = await store.getRun(TEAM);
    expect(found?.locale).toBe('en');
    expect(found?.members).toEqual([lene, { ...soren, roles: ['staff', 'facilitator'] }, mette]);
  });

  it('keeps both members when two installs save the run at once, each with a member the other has not seen', async () => {
    const { store } = subject();
    const stores = [store, ...(subject().replica ? [subject().replica!(), subject().replica!()] : [])];
    await store.saveRun(run([lene]));
    const newcomers = Array.from({ length: 24 }, (_, i): Member => ({ userId: `ny-${i}`, roles: ['staff'] }));
    await Promise.all(newcomers.map((member, i) => stores[i % stores.length]!.saveRun(run([lene, member]))));
    const members = (await subject().reopen().getRun(TEAM))?.members ?? [];
    expect(members.map((m) => m.userId).sort()).toEqual(['leder', ...newcomers.map((m) => m.userId)].sort());
    expect(members[0]).toEqual(lene);
  });

  it('reads a run stored in the old shape (members inside the run value, schema 1)', async () => {
    const legacy = run([lene, soren, mette]);
    await subject().writeLegacyRun(legacy);
    const store = subject().reopen();
    expect(await store.getRun(TEAM)).toEqual(legacy);
    expect(await store.listRuns()).toEqual([legacy]);
    expect(await store.members(TEAM)).toEqual([lene, soren, mette]);
  });

  it('moves an old-shape run’s members out before changing one, so a removed member does not come back', async () => {
    await subject().writeLegacyRun(run([lene, soren, mette]));
    const store = subject().reopen();
    await store.saveMember(TEAM, aisha);
    expect(await store.removeMember(TEAM, 's1')).toBe(true);
    await store.saveRun(run([lene], { active: false }));
    const expected = run([lene, mette, aisha], { active: false });
    expect(await store.getRun(TEAM)).toEqual(expected);
    expect(await subject().reopen().getRun(TEAM)).toEqual(expected);
  });
});

eachStore('MemberStore', (subject) => {
  it('adds, replaces in place and lists the members of a team, in the order first added', async () => {
    const { store } = subject();
    await store.saveMember(TEAM, lene);
    await store.saveMember(TEAM, soren);
    await store.saveMember(TEAM, { ...lene, email: 'lene@example.org' });
    expect(await store.members(TEAM)).toEqual([{ ...lene, email: 'lene@example.org' }, soren]);
    expect(await store.members(OTHER)).toEqual([]);
    expect(await subject().reopen().members(TEAM)).toEqual([{ ...lene, email: 'lene@example.org' }, soren]);
  });

  it('keeps every member when many are added at once, from several connections', async () => {
    const { store } = subject();
    const stores = [store, ...(subject().replica ? [subject().replica!(), subject().replica!()] : [])];
    const many = Array.from({ length: 30 }, (_, i): Member => ({ userId: `m-${i}`, roles: ['staff'] }));
    await Promise.all(many.map((member, i) => stores[i % stores.length]!.saveMember(TEAM, member)));
    expect((await store.members(TEAM)).map((m) => m.userId).sort()).toEqual(many.map((m) => m.userId).sort());
  });

  it('removes one member and no one else, also from the run; says whether there was one', async () => {
    const { store } = subject();
    await store.saveRun(run([lene, soren, mette]));
    expect(await store.removeMember(TEAM, 's1')).toBe(true);
    expect(await store.removeMember(TEAM, 's1')).toBe(false);
    expect(await store.removeMember(OTHER, 'leder')).toBe(false);
    expect((await store.getRun(TEAM))?.members).toEqual([lene, mette]);
    expect(await subject().reopen().members(TEAM)).toEqual([lene, mette]);
    await store.saveMember(TEAM, soren);
    expect((await store.members(TEAM)).map((m) => m.userId)).toEqual(['leder', 'vejleder', 's1']);
  });
});
