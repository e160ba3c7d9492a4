// The set-up use cases on their own (src/app/setup): who may, what is valid, what is kept, what the cards
// start from. No platform: the Teams side is test/integration/teams-setup.test.ts.
import { beforeEach, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../src/app/context.ts';
import type { Member, Run, TeamRef } from '../../src/app/ports.ts';
import { memberJoined, memberLeft, rosterSeen, uninstalled } from '../../src/app/setup/members.ts';
import { localeOf, membersForCard, nextMonday } from '../../src/app/setup/options.ts';
import { maySetUp, type SetUpRequest, setUpRun } from '../../src/app/setup/set-up-run.ts';
import { setupCard, valuesOf } from '../../src/app/setup/setup-card.ts';
import { renderAdaptiveCard } from '../../src/cards/render.ts';
import { validateAdaptiveCard } from '../../src/cards/adaptive/validate.ts';
import type { ViewModelInput } from '../../src/cards/view-models.ts';
import { loadProgrammes } from '../../src/programmes/load.ts';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.ts';
import { MemoryOutbox } from '../../src/store/embedded/memory-delivery.ts';
import { fakeClock, memoryLogger } from '../support/fakes.ts';
import { countingRandom } from '../support/stores.ts';

const TEAM: TeamRef = { tenant: 't1', team: 'solsikken' };
const people = (...ids: string[]): Member[] => ids.map((userId) => ({ userId, name: `Navn ${userId}`, roles: ['staff'] }));

let deps: AppDeps & { outbox: MemoryOutbox; logger: ReturnType<typeof memoryLogger>; clock: ReturnType<typeof fakeClock> };
beforeEach(() => {
  deps = {
    store: new EmbeddedStore(undefined, countingRandom()),
    outbox: new MemoryOutbox(),
    programmes: loadProgrammes(),
    // Monday 3 August 2026, 10:00 in Copenhagen.
    clock: fakeClock('2026-08-03T08:00:00Z'),
    random: countingRandom(),
    logger: memoryLogger(),
    canMail: false,
  };
});

const request = (changes: Partial<SetUpRequest> = {}): SetUpRequest => ({
  team: TEAM,
  by: { userId: 'lene', teamOwner: false },
  installedBy: 'lene',
  programmeId: 'odense-science-boernehoejde',
  settings: {},
  start: '2026-08-10',
  country: 'DK',
  timeZone: '',
  roles: { lene: ['leader'] },
  members: people('lene', 'aisha', 'soeren'),
  channelKey: 'channel:19:general',
  ...changes,
});

describe('who may set a team up', () => {
  it.each([
    ['the installer', { userId: 'lene', teamOwner: false }, 'lene', true],
    ['a team owner', { userId: 'ole', teamOwner: true }, 'lene', true],
    ['a team owner when no installer is known', { userId: 'ole', teamOwner: true }, undefined, true],
    ['anyone else', { userId: 'aisha', teamOwner: false }, 'lene', false],
    ['anyone, when no installer is known', { userId: 'aisha', teamOwner: false }, undefined, false],
  ])('%s', (_label, by, installedBy, allowed) => {
    expect(maySetUp(by, installedBy)).toBe(allowed);
  });
});

describe('setUpRun', () => {
  it('stores the run with the country’s zone and language when none is given, and every programme setting', async () => {
    const outcome = await setUpRun(deps, request({ programmeId: 'skolverket-kollegialt-larande', country: 'SE', settings: { cadence: 'intensivlasa' }, start: '2026-09-14' }));
    expect(outcome.ok).toBe(true);
    expect(await deps.store.getRun(TEAM)).toMatchObject({
      timeZone: 'Europe/Stockholm',
      locale: 'sv',
      settings: { module: 'school', cadence: 'intensivlasa' },
      active: true,
      channelKey: 'channel:19:general',
    });
  });

  it('gives roles only where the card chose them: the others keep theirs, and someone new is staff', async () => {
    await deps.store.saveMember(TEAM, { userId: 'karin', roles: ['consultant'] });
    await setUpRun(deps, request({ members: [...people('lene', 'aisha'), { userId: 'karin', roles: ['consultant'] }], roles: { lene: ['leader', 'facilitator'], aisha: [] } }));
    const members = (await deps.store.getRun(TEAM))!.members;
    expect(Object.fromEntries(members.map((m) => [m.userId, m.roles]))).toEqual({ karin: ['consultant'], lene: ['leader', 'facilitator'], aisha: ['staff'] });
  });

  it('names every problem at once and stores nothing', async () => {
    const outcome = await setUpRun(deps, request({ programmeId: 'odense', start: '2026-02-30', country: 'NO', timeZone: 'Mars/Olympus', locale: 'de', roles: {} }));
    expect(outcome).toEqual({
      ok: false,
      problems: [{ code: 'unknownProgramme' }, { code: 'badDate' }, { code: 'badCountry' }, { code: 'badZone', detail: 'Mars/Olympus' }, { code: 'badLocale' }, { code: 'noLead' }],
    });
    expect(await deps.store.getRun(TEAM)).toBeUndefined();
    expect(await deps.outbox.pending()).toBe(0);
    expect(deps.logger.entries).toEqual([expect.objectContaining({ level: 'warn', message: 'set-up refused' })]);
  });

  it('refuses a setting the programme does not have, or a value it does not offer', async () => {
    const outcome = await setUpRun(deps, request({ programmeId: 'skolverket-kollegialt-larande', settings: { module: 'preschool', colour: 'blue' }, locale: 'sv' }));
    expect(outcome).toEqual({
      ok: false,
      problems: [
        { code: 'badSetting', detail: 'Modul' },
        { code: 'badSetting', detail: 'colour' },
      ],
    });
  });

  it('refuses anyone but the installer or an owner before looking at the form', async () => {
    const outcome = await setUpRun(deps, request({ by: { userId: 'aisha', teamOwner: false }, programmeId: 'nope' }));
    expect(outcome).toEqual({ ok: false, problems: [{ code: 'notAllowed' }] });
  });

  it('queues "programme started" for the channel once: the first three dates still to come, and how many follow', async () => {
    // Set up in October for a run that began in August: the channel hears of what is ahead, not what is past.
    deps.clock.set('2026-10-05T08:00:00Z');
    const outcome = await setUpRun(deps, request());
    if (!outcome.ok) throw new Error('refused');
    const [item] = await deps.outbox.itemsFor(TEAM, ['channel:19:general']);
    const data = item!.card!.data as ViewModelInput<'programme-started'>;
    expect(outcome.started).toEqual({ card: 'programme-started', data });
    expect(data.first).toHaveLength(3);
    expect(data.first.every((f) => f.at >= '2026-10-05T08:00:00.000Z')).toBe(true);
    expect(data).toMatchObject({
      programmeTitle: 'Science og teknologi i børnehøjde',
      start: '2026-08-10',
      settings: [{ label: 'Sparringsmøder', value: 'I læringsfællesskaber (3-4 medarbejdere)' }],
    });
    const card = renderAdaptiveCard('programme-started', data, { locale: 'da', timeZone: 'Europe/Copenhagen' });
    expect(validateAdaptiveCard(card)).toEqual([]);

    const channelPosts = async () => (await deps.outbox.itemsFor(TEAM, ['channel:19:general'])).length;
    await setUpRun(deps, request());
    expect(await channelPosts()).toBe(1);
    // A different start is a new set-up: the channel hears of it.
    await setUpRun(deps, request({ start: '2026-08-17' }));
    expect(await channelPosts()).toBe(2);
  });

  it('keeps the team’s own calendar from the form, or names every entry it cannot use', async () => {
    const bad = await setUpRun(deps, request({ calendar: { kind: 'programme', closed: '2026-10-06, 2026-02-30', fixed: 'workshop-2=tirsdag\nnope=2026-11-24' } }));
    expect(bad).toEqual({
      ok: false,
      problems: [
        { code: 'badClosed', detail: '2026-02-30' },
        { code: 'badFix', detail: 'workshop-2=tirsdag' },
      ],
    });
    const unknown = await setUpRun(deps, request({ calendar: { fixed: 'nope=2026-11-24' } }));
    expect(unknown).toEqual({ ok: false, problems: [{ code: 'badFix', detail: 'nope' }] });
    expect(await deps.store.getRun(TEAM)).toBeUndefined();
    const ok = await setUpRun(deps, request({ calendar: { kind: 'school', sportlovWeek: 8, closed: '2026-10-07, 2026-10-06', fixed: '' } }));
    // Sportlov is Swedish: a Danish team keeps no week for it.
    expect(ok.ok && ok.run.calendar).toEqual({ kind: 'school', closed: ['2026-10-06', '2026-10-07'] });
  });

  it('keeps the channel a team already had when the submit names none', async () => {
    await setUpRun(deps, request());
    await setUpRun(deps, request({ start: '2026-08-17', channelKey: undefined }));
    expect((await deps.store.getRun(TEAM))?.channelKey).toBe('channel:19:general');
  });
});

describe('the set-up card', () => {
  it('starts next Monday, in the language’s country and zone, with the installer as leader', () => {
    const { data } = setupCard(deps, { team: TEAM, installedBy: 'soeren', locale: 'sv', members: people('aisha', 'soeren') }) as { data: ViewModelInput<'team-setup'> };
    expect(data).toMatchObject({ start: '2026-08-10', country: 'SE', timeZone: 'Europe/Stockholm', locale: 'sv', programmeId: 'kolding-laeringssamtale', problems: [] });
    expect(data.members).toEqual([
      { id: 'soeren', name: 'Navn soeren', role: 'leader' },
      { id: 'aisha', name: 'Navn aisha', role: 'staff' },
    ]);
    expect(data.settings.map((s) => s.id)).toEqual([
      'odense-science-boernehoejde:sparringsform',
      'skolverket-kollegialt-larande:module',
      'skolverket-kollegialt-larande:cadence',
      'stuk-vejledningsforloeb:klippekort',
    ]);
    expect(data.settings[1]!.label).toBe('Planera, organisera och följa upp kollegialt lärande: Modul');
  });

  it('starts from an earlier run’s choices, the installer staff when others lead', async () => {
    await setUpRun(deps, request({ programmeId: 'skolverket-kollegialt-larande', settings: { module: 'leadership' }, country: 'SE', roles: { aisha: ['facilitator'], lene: ['staff'] } }));
    const run = (await deps.store.getRun(TEAM)) as Run;
    const { data } = setupCard(deps, { team: TEAM, installedBy: 'lene', locale: 'da', members: run.members, values: valuesOf(run) }) as { data: ViewModelInput<'team-setup'> };
    expect(data).toMatchObject({ programmeId: 'skolverket-kollegialt-larande', country: 'SE', locale: 'sv', start: '2026-08-10' });
    expect(data.settings.find((s) => s.id.endsWith(':module'))?.value).toBe('leadership');
    expect(Object.fromEntries(data.members.map((m) => [m.id, m.role]))).toEqual({ lene: 'staff', aisha: 'facilitator', soeren: 'staff' });
  });

  it('lists the installer, then those with roles, then the rest by name, up to 30', () => {
    const many = [...people(...Array.from({ length: 40 }, (_, i) => `p${String(i).padStart(2, '0')}`)), { userId: 'karin', name: 'Karin', roles: ['consultant'] } as Member];
    const { shown, more } = membersForCard(many, 'p39');
    expect(shown.map((m) => m.userId).slice(0, 3)).toEqual(['p39', 'karin', 'p00']);
    expect(shown).toHaveLength(30);
    expect(more).toBe(11);
  });
});

describe('people coming and going', () => {
  it('the roster at install adds people as staff and keeps roles; a complete roster also drops who left', async () => {
    await deps.store.saveMember(TEAM, { userId: 'lene', roles: ['leader'] });
    await deps.store.saveMember(TEAM, { userId: 'gone', roles: ['staff'] });
    expect(await rosterSeen(deps, TEAM, people('lene', 'aisha'), { complete: false })).toEqual({ added: 1, removed: 0 });
    expect(await rosterSeen(deps, TEAM, people('lene', 'aisha'), { complete: true })).toEqual({ added: 0, removed: 1 });
    expect(await deps.store.members(TEAM)).toEqual([
      { userId: 'lene', name: 'Navn lene', roles: ['leader'] },
      { userId: 'aisha', name: 'Navn aisha', roles: ['staff'] },
    ]);
  });

  it('someone joining before set-up is staff and gets no welcome yet; once a run is on, a newcomer is welcomed once', async () => {
    expect(await memberJoined(deps, TEAM, people('aisha')[0]!)).toBe(true);
    expect(await deps.outbox.pending()).toBe(0);
    await setUpRun(deps, request());
    const before = await deps.outbox.pending();
    expect(await memberJoined(deps, TEAM, people('freja')[0]!, { teamName: 'Solsikken' })).toBe(true);
    expect(await memberJoined(deps, TEAM, people('freja')[0]!)).toBe(false);
    expect((await deps.outbox.pending()) - before).toBe(1);
    const item = await deps.outbox.get(TEAM, 'welcome', 'freja');
    expect(item?.card).toMatchObject({ name: 'welcome', data: { teamName: 'Solsikken', role: 'staff', programmeTitle: 'Science og teknologi i børnehøjde', firstAt: expect.any(String) } });
    expect(validateAdaptiveCard(renderAdaptiveCard('welcome', item!.card!.data, { locale: 'da' }))).toEqual([]);
  });

  it('a member who rejoins keeps their role', async () => {
    await setUpRun(deps, request({ roles: { lene: ['leader'], aisha: ['facilitator'] } }));
    await memberJoined(deps, TEAM, { userId: 'aisha', name: 'Aisha R.', roles: ['staff'] });
    expect((await deps.store.members(TEAM)).find((m) => m.userId === 'aisha')).toEqual({ userId: 'aisha', name: 'Aisha R.', roles: ['facilitator'] });
  });

  it('leaving takes a member out of the run; uninstalling stops the run and keeps its people', async () => {
    await setUpRun(deps, request());
    expect(await memberLeft(deps, TEAM, 'aisha')).toBe(true);
    expect(await memberLeft(deps, TEAM, 'aisha')).toBe(false);
    expect(await uninstalled(deps, TEAM)).toBe(true);
    expect(await uninstalled(deps, TEAM)).toBe(false);
    expect(await deps.store.getRun(TEAM)).toMatchObject({ active: false, members: [{ userId: 'lene' }, { userId: 'soeren' }] });
    expect(await uninstalled(deps, { tenant: 't1', team: 'never-set-up' })).toBe(false);
  });
});

describe('small rules', () => {
  it('reads a platform locale as a card language, Danish by default', () => {
    expect([localeOf('sv-SE'), localeOf('en-GB'), localeOf('da-DK'), localeOf('nb-NO'), localeOf(undefined)]).toEqual(['sv', 'en', 'da', 'da', 'da']);
  });

  it('a programme starts the Monday after today', () => {
    // Sunday 23:59 and Monday 00:00 in Copenhagen.
    expect(nextMonday(new Date('2026-08-09T21:59:00Z'), 'Europe/Copenhagen')).toBe('2026-08-10');
    expect(nextMonday(new Date('2026-08-09T22:00:00Z'), 'Europe/Copenhagen')).toBe('2026-08-17');
  });
});
