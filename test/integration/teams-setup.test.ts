// Install, set-up and roster changes in Teams on real botbuilder code: crafted Teams activities go through a
// CloudAdapter without auth (empty app id) whose serviceUrl is the fake Bot Connector, into lifecycle.ts, the
// app's set-up use cases and the embedded store; the cards come back over the wire.
import { type Activity, CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../src/app/context.ts';
import type { TeamRef } from '../../src/app/ports.ts';
import { planOf } from '../../src/app/run-plan.ts';
import { onSetupSubmit, onTeamsLifecycle } from '../../src/channels/teams/lifecycle.ts';
import { TeamsChannel } from '../../src/channels/teams/teams-channel.ts';
import { deliverDue } from '../../src/delivery/deliver.ts';
import { PLATFORM_LIMITS } from '../../src/delivery/limits.ts';
import { loadProgrammes } from '../../src/programmes/load.ts';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.ts';
import { MemoryOutbox, MemoryRateLimiter } from '../../src/store/embedded/memory-delivery.ts';
import { type FakeBotConnector, startFakeBotConnector } from '../support/fake-bot-connector.ts';
import { fakeClock, memoryLogger } from '../support/fakes.ts';
import { countingRandom } from '../support/stores.ts';

const TENANT = 'tenant-solsikken';
const TEAM_ID = '19:solsikken-general@thread.tacv2';
const TEAM: TeamRef = { tenant: TENANT, team: TEAM_ID };
const CHANNEL_KEY = `channel:${TEAM_ID}`;
const BOT = { id: '28:sparringsbot-app', name: 'Sparringsbot' };

// The team's roster as Teams answers it; Lene installs the bot, Ole owns the team.
const LENE = { id: '29:1lene', name: 'Lene Bach', aadObjectId: 'aad-lene', email: 'lene@solsikken.dk', userRole: 'user' };
const OLE = { id: '29:1ole', name: 'Ole Krag', aadObjectId: 'aad-ole', userRole: 'owner' };
const AISHA = { id: '29:1aisha', name: 'Aisha Rahimi', aadObjectId: 'aad-aisha', userRole: 'user' };
const SOEREN = { id: '29:1soeren', name: 'Søren Holt', aadObjectId: 'aad-soeren', userRole: 'user' };
const FREJA = { id: '29:1freja', name: 'Freja Nielsen', aadObjectId: 'aad-freja', userRole: 'user' };
const ROSTER = [LENE, OLE, AISHA, SOEREN];

type Json = Record<string, unknown>;
type Card = Json & { body: Json[]; actions?: Array<Json & { data: Json }> };
const account = ({ id, name, aadObjectId }: { id: string; name: string; aadObjectId: string }) => ({ id, name, aadObjectId });

let fake: FakeBotConnector;
let deps: { app: AppDeps & { outbox: MemoryOutbox; logger: ReturnType<typeof memoryLogger>; clock: ReturnType<typeof fakeClock> } };
const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({ MicrosoftAppId: '', MicrosoftAppPassword: '', MicrosoftAppType: 'MultiTenant' }));
let sequence = 0;

function teamActivity(type: string, fields: Json = {}): Activity {
  return {
    type,
    id: `f:${++sequence}`,
    channelId: 'msteams',
    serviceUrl: fake.url,
    timestamp: new Date(),
    locale: 'da-DK',
    from: account(LENE),
    recipient: BOT,
    conversation: { id: TEAM_ID, conversationType: 'channel', isGroup: true, tenantId: TENANT },
    channelData: { team: { id: TEAM_ID, name: 'Børnehuset Solsikken', aadGroupId: 'group-1' }, tenant: { id: TENANT }, channel: { id: TEAM_ID } },
    ...fields,
  } as Activity;
}

const run = (activity: Activity, logic: (context: TurnContext) => Promise<void>) => adapter.processActivityDirect('', activity, logic);
const lifecycle = (activity: Activity) => run(activity, (context) => onTeamsLifecycle(context, deps));
const install = (fields: Json = {}) => lifecycle(teamActivity('installationUpdate', { action: 'add', ...fields }));

/** What a card says, in reading order (TextBlocks and the TextRuns of a person's words). */
function texts(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(texts);
  if (!value || typeof value !== 'object') return [];
  const node = value as Json;
  if ((node['type'] === 'TextBlock' || node['type'] === 'TextRun') && typeof node['text'] === 'string') return [node['text']];
  if (node['type'] === 'RichTextBlock') return [texts(node['inlines']).join('')];
  return Object.entries(node).flatMap(([key, v]) => (key === 'data' ? [] : texts(v)));
}
const cardsIn = (conversationId: string): Card[] => fake.acceptedFor(conversationId).map((m) => (m.activity['attachments'] as Array<{ content: Card }>)[0]!.content);
const inputIds = (card: Card) =>
  JSON.stringify(card.body)
    .match(/"id":"[^"]+"/g)
    ?.map((m) => m.slice(6, -1)) ?? [];

/** The set-up card's submit as Teams sends it: an adaptiveCard/action invoke, here in the installer's 1:1. */
async function submit(by: Json, data: Json, inputs: Json, conversationId = 'a:1fake-chat'): Promise<Card> {
  const activity = teamActivity('invoke', {
    name: 'adaptiveCard/action',
    from: by,
    conversation: { id: conversationId, conversationType: 'personal', tenantId: TENANT },
    channelData: { tenant: { id: TENANT } },
    value: { action: { type: 'Action.Execute', verb: 'start', data: { ...data, ...inputs } }, trigger: 'manual' },
  });
  let card: Json | undefined;
  await run(activity, async (context) => {
    card = await onSetupSubmit(context, deps, { verb: 'start', data, inputs });
  });
  return card as Card;
}

/** Installs the bot and returns the set-up card the installer got and the action data it carries. */
async function installed(): Promise<{ setup: Card; data: Json; chat: string }> {
  await install();
  const chat = fake.created()[0]!.conversationId;
  const setup = cardsIn(chat)[0]!;
  return { setup, data: setup.actions![0]!.data, chat };
}

const SKOLVERKET_INPUTS = {
  programme: 'skolverket-kollegialt-larande',
  'setting:skolverket-kollegialt-larande:module': 'leadership',
  'setting:skolverket-kollegialt-larande:cadence': 'intensivlasa',
  start: '2026-09-14',
  country: 'SE',
  timeZone: 'Europe/Stockholm',
  locale: 'sv',
  [`role:${LENE.id}`]: 'leader',
  [`role:${OLE.id}`]: 'staff',
  [`role:${AISHA.id}`]: 'facilitator',
  [`role:${SOEREN.id}`]: 'guide',
};

beforeAll(async () => {
  fake = await startFakeBotConnector();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  fake.roster(TEAM_ID, ROSTER);
  deps = {
    app: {
      store: new EmbeddedStore(undefined, countingRandom()),
      outbox: new MemoryOutbox(),
      programmes: loadProgrammes(),
      clock: fakeClock('2026-08-03T08:00:00Z'),
      random: countingRandom(),
      logger: memoryLogger(),
      canMail: false,
    },
  };
});

describe('the bot installed in a team', () => {
  it('greets the channel, reads the roster and sends the installer the set-up card in a 1:1', async () => {
    const { setup, chat } = await installed();

    const [welcome, ...more] = cardsIn(TEAM_ID);
    expect(more).toEqual([]);
    expect(texts(welcome)[0]).toBe('Velkommen, Børnehuset Solsikken!');
    expect(texts(welcome).join('\n')).toContain('Forløbet er ikke sat op endnu.');
    // A new top-level post in the channel, not a reply to the install event.
    expect(fake.acceptedFor(TEAM_ID)[0]!.path).toBe(`/emea/v3/conversations/${encodeURIComponent(TEAM_ID)}/activities`);

    expect(fake.created()).toEqual([expect.objectContaining({ tenantId: TENANT, parameters: expect.objectContaining({ isGroup: false, bot: BOT, members: [{ id: LENE.id, name: LENE.name }] }) })]);
    expect(texts(setup)[0]).toBe('Sæt forløbet op for Børnehuset Solsikken');
    expect(inputIds(setup)).toEqual(
      expect.arrayContaining([
        'programme',
        'setting:skolverket-kollegialt-larande:module',
        'setting:skolverket-kollegialt-larande:cadence',
        'start',
        'country',
        'timeZone',
        'locale',
        ...ROSTER.map((m) => `role:${m.id}`),
      ]),
    );
    const choices = (id: string) => ((setup.body.find((b) => b['id'] === id) as Json)['choices'] as Array<{ value: string }>).map((c) => c.value);
    expect(choices('programme')).toEqual(['kolding-laeringssamtale', 'odense-science-boernehoejde', 'sevu-kollegial-sparring', 'skolverket-kollegialt-larande', 'stuk-vejledningsforloeb']);
    expect(setup.body.find((b) => b['id'] === 'timeZone')).toMatchObject({ type: 'Input.Text', value: 'Europe/Copenhagen' });
    expect(setup.body.find((b) => b['id'] === 'start')).toMatchObject({ type: 'Input.Date', value: '2026-08-10' });
    // The installer leads until someone else is chosen.
    expect(setup.body.find((b) => b['id'] === `role:${LENE.id}`)).toMatchObject({ value: 'leader' });
    expect(setup.actions).toEqual([expect.objectContaining({ type: 'Action.Execute', verb: 'start', data: { card: 'team-setup', team: TEAM, channelId: TEAM_ID, installedBy: LENE.id } })]);

    // Where the bot reaches everyone later: the channel, the installer's 1:1, and the others by a 1:1 still to open.
    const store = deps.app.store;
    expect(await store.getConversation(TEAM, CHANNEL_KEY)).toMatchObject({
      platform: 'teams',
      reference: { serviceUrl: fake.url, bot: BOT, conversation: { id: TEAM_ID, conversationType: 'channel', tenantId: TENANT } },
    });
    expect((await store.getConversation(TEAM, LENE.id))?.reference).toMatchObject({ conversation: { id: chat, conversationType: 'personal', tenantId: TENANT }, user: { id: LENE.id } });
    const aisha = await store.getConversation(TEAM, AISHA.id);
    expect(aisha).toEqual({
      platform: 'teams',
      key: AISHA.id,
      reference: {
        channelId: 'msteams',
        serviceUrl: fake.url,
        bot: BOT,
        user: { id: AISHA.id, name: AISHA.name, aadObjectId: AISHA.aadObjectId },
        conversation: { conversationType: 'personal', isGroup: false, tenantId: TENANT },
      },
    });
    expect(await store.members(TEAM)).toEqual([
      // The installer leads until the set-up says otherwise: kept on our side, so the card's data cannot claim it.
      { userId: LENE.id, name: LENE.name, email: LENE.email, roles: ['leader'] },
      { userId: OLE.id, name: OLE.name, roles: ['staff'] },
      { userId: AISHA.id, name: AISHA.name, roles: ['staff'] },
      { userId: SOEREN.id, name: SOEREN.name, roles: ['staff'] },
    ]);
    expect(await store.getRun(TEAM)).toBeUndefined();
  });

  it('reads a roster of many pages, and the set-up card lists 30 people and counts the rest', async () => {
    const many = Array.from({ length: 44 }, (_, i) => ({ id: `29:1p${i}`, name: `Person ${String(i).padStart(2, '0')}`, aadObjectId: `aad-${i}`, userRole: 'user' }));
    fake.roster(TEAM_ID, [LENE, ...many], { pageSize: 10 });
    const { setup } = await installed();
    expect(fake.rosterReads().filter((r) => r.startsWith('pagedmembers'))).toHaveLength(5);
    expect(await deps.app.store.members(TEAM)).toHaveLength(45);
    expect(inputIds(setup).filter((id) => id.startsWith('role:'))).toHaveLength(30);
    expect(inputIds(setup)).toContain(`role:${LENE.id}`);
    expect(texts(setup)).toContain('15 personer mere deltager som medarbejdere.');
  });

  it('posts the set-up card in the channel when Teams will not open a 1:1, and logs what failed', async () => {
    // The welcome and the 1:1 are refused; the card still reaches the channel.
    fake.failNext(403, 2);
    await install();
    const [setup] = cardsIn(TEAM_ID);
    expect(texts(setup)[0]).toBe('Sæt forløbet op for Børnehuset Solsikken');
    expect(deps.app.logger.entries.map((e) => e.message)).toEqual(expect.arrayContaining(['Teams refused a set-up message', 'no 1:1 with the installer; the set-up card goes to the channel']));
  });

  it('says "the bot was added" twice (conversationUpdate and installationUpdate) and greets once', async () => {
    await lifecycle(
      teamActivity('conversationUpdate', { membersAdded: [BOT], channelData: { team: { id: TEAM_ID, name: 'Børnehuset Solsikken' }, tenant: { id: TENANT }, eventType: 'teamMemberAdded' } }),
    );
    await install();
    expect(cardsIn(TEAM_ID)).toHaveLength(1);
    expect(fake.created()).toHaveLength(1);
    expect(await deps.app.store.members(TEAM)).toHaveLength(4);
  });
});

describe('the set-up card submitted', () => {
  it('by the installer: the run exists with the roles, and the channel gets "programme started" with the first three dates', async () => {
    const { data } = await installed();
    const card = await submit(account(LENE), data, SKOLVERKET_INPUTS);

    expect(texts(card)[0]).toBe('Programmet är upplagt');
    const saved = await deps.app.store.getRun(TEAM);
    expect(saved).toMatchObject({
      programmeId: 'skolverket-kollegialt-larande',
      settings: { module: 'leadership', cadence: 'intensivlasa' },
      start: '2026-09-14',
      country: 'SE',
      timeZone: 'Europe/Stockholm',
      locale: 'sv',
      active: true,
      channelKey: CHANNEL_KEY,
    });
    expect(Object.fromEntries(saved!.members.map((m) => [m.userId, m.roles]))).toEqual({ [LENE.id]: ['leader'], [OLE.id]: ['staff'], [AISHA.id]: ['facilitator'], [SOEREN.id]: ['guide'] });

    const [item, ...others] = await deps.app.outbox.itemsFor(TEAM, [CHANNEL_KEY]);
    expect(others).toEqual([]);
    const planned = planOf(saved!, deps.app.programmes.get('skolverket-kollegialt-larande')!).occurrences;
    expect(item).toMatchObject({ state: 'pending', occurrenceId: expect.stringMatching(/^programme-started:/), card: { name: 'programme-started', locale: 'sv', timeZone: 'Europe/Stockholm' } });
    const started = item!.card!.data as { first: Array<{ at: string; title: string }>; more: number; settings: unknown[] };
    expect(started.first.map((f) => f.at)).toEqual(planned.slice(0, 3).map((o) => o.start));
    // Titles as the plan has them, module parts with their part and moments filled in.
    const titles = started.first.map((f) => f.title);
    expect(titles.join(' | ')).not.toMatch(/[{}]/);
    expect(titles).toContain('Del 1, moment A, B');
    expect(started.more).toBe(planned.length - 3);
    expect(started.settings).toEqual([
      { label: 'Modul', value: 'Modul för skolledning, sex delar' },
      { label: 'Upplägg av kollegiala träffar', value: 'Intensivläsa (en träff à 90 minuter varje vecka i 16 veckor)' },
    ]);

    // Each member is welcomed in their own chat, with their role.
    const welcomes = await deps.app.outbox.itemsFor(
      TEAM,
      saved!.members.map((m) => m.userId),
    );
    expect(welcomes.map((w) => [w.recipient, w.occurrenceId, w.card?.name]).sort()).toEqual(saved!.members.map((m) => [m.userId, 'welcome', 'welcome']).sort());
    expect(welcomes.find((w) => w.recipient === AISHA.id)!.card!.data).toMatchObject({ role: 'facilitator' });

    // Delivery sends it to the channel through the stored reference, with TeamsChannel, as every post goes.
    const counts = await deliverDue({
      outbox: deps.app.outbox,
      limiter: new MemoryRateLimiter(PLATFORM_LIMITS),
      store: deps.app.store,
      channels: { teams: new TeamsChannel({ appId: '' }) },
      clock: deps.app.clock,
      random: deps.app.random,
      logger: deps.app.logger,
    });
    // The channel's card, and each member's welcome with their role in their own chat.
    expect(counts.sent).toBe(1 + saved!.members.length);
    const posted = cardsIn(TEAM_ID).at(-1)!;
    expect(texts(posted)).toEqual(expect.arrayContaining(['Programmet är upplagt', `Det finns ${planned.length - 3} datum till. Skriv /sparring plan för att se de kommande veckorna.`]));

    // The same submit again (a double click, a resent invoke) changes nothing and posts nothing more.
    await submit(account(LENE), data, SKOLVERKET_INPUTS);
    expect(await deps.app.outbox.itemsFor(TEAM, [CHANNEL_KEY])).toHaveLength(1);
    expect(
      await deps.app.outbox.itemsFor(
        TEAM,
        saved!.members.map((m) => m.userId),
      ),
    ).toHaveLength(saved!.members.length);
  });

  it('by a team owner who did not install it: allowed', async () => {
    const { data } = await installed();
    const card = await submit(account(OLE), data, { ...SKOLVERKET_INPUTS, locale: 'da' });
    expect(texts(card)[0]).toBe('Forløbet er sat op');
    expect(fake.rosterReads()).toContain(`member ${TEAM_ID} ${OLE.id}`);
    expect((await deps.app.store.getRun(TEAM))?.locale).toBe('da');
  });

  it('by someone else: refused in the team’s language, the form shown again as filled in, nothing stored', async () => {
    const { data } = await installed();
    const card = await submit(account(AISHA), data, { ...SKOLVERKET_INPUTS, locale: 'da' });
    expect(texts(card)).toEqual(expect.arrayContaining(['Ret dette, før forløbet kan starte:', '- Kun den, der har installeret Sparringsbot, eller en af teamets ejere kan starte forløbet.']));
    expect(card.body.find((b) => b['id'] === 'programme')).toMatchObject({ value: 'skolverket-kollegialt-larande' });
    expect(card.body.find((b) => b['id'] === `role:${AISHA.id}`)).toMatchObject({ value: 'facilitator' });
    expect(await deps.app.store.getRun(TEAM)).toBeUndefined();
    expect(await deps.app.outbox.pending()).toBe(0);

    const swedish = await submit(account(AISHA), data, SKOLVERKET_INPUTS);
    expect(texts(swedish)).toContain('- Bara den som installerade Sparringsbot, eller någon av teamets ägare, kan starta programmet.');
  });

  it('by someone who forges the card to say they installed it: refused, nothing stored', async () => {
    const { data } = await installed();
    const card = await submit(account(AISHA), { ...data, installedBy: AISHA.id }, { ...SKOLVERKET_INPUTS, locale: 'da' });
    expect(texts(card)).toContain('- Kun den, der har installeret Sparringsbot, eller en af teamets ejere kan starte forløbet.');
    expect(await deps.app.store.getRun(TEAM)).toBeUndefined();
  });

  it('with mistakes: every one named, in the chosen language', async () => {
    const { data } = await installed();
    const card = await submit(account(LENE), data, {
      ...SKOLVERKET_INPUTS,
      locale: 'en',
      'setting:skolverket-kollegialt-larande:module': 'preschool',
      start: '14/9',
      timeZone: 'Europe/Malmö',
      [`role:${LENE.id}`]: 'staff',
      [`role:${AISHA.id}`]: 'staff',
    });
    // A line holding what the person typed is shown as text (a TextRun, its "- " drawn as "• "): compare the words.
    const problems = texts(card)
      .filter((t) => /^[-•] /.test(t))
      .map((t) => t.replace(/^• /, '- '));
    expect(problems).toEqual([
      '- Choose one of the options under “Module”.',
      "- Choose the programme's first day as a date in the calendar.",
      "- I don't know the time zone “Europe/Malmö”. Write, for example, Europe/Copenhagen or Europe/Stockholm.",
      '- Give at least one person the role of leader or facilitator – otherwise no one can post agendas to the team channel.',
    ]);
    expect(card.body.find((b) => b['id'] === 'timeZone')).toMatchObject({ value: 'Europe/Malmö' });
    expect(await deps.app.store.getRun(TEAM)).toBeUndefined();
  });

  it('for another tenant’s team: refused', async () => {
    const { data } = await installed();
    const card = await submit(account(LENE), { ...data, team: { tenant: 'other-tenant', team: TEAM_ID } }, SKOLVERKET_INPUTS);
    expect(texts(card)).toContain('Svaret kunne ikke læses. Prøv igen fra kortet.');
    expect(await deps.app.store.getRun({ tenant: 'other-tenant', team: TEAM_ID })).toBeUndefined();
  });
});

describe('after set-up', () => {
  beforeEach(async () => {
    const { data } = await installed();
    await submit(account(LENE), data, SKOLVERKET_INPUTS);
  });
  const roster = (eventType: string, field: 'membersAdded' | 'membersRemoved', who: Json) =>
    lifecycle(teamActivity('conversationUpdate', { [field]: [{ id: who['id'] }], channelData: { team: { id: TEAM_ID, name: 'Børnehuset Solsikken' }, tenant: { id: TENANT }, eventType } }));

  it('a member added later joins the run as staff, can be reached, and is welcomed in a 1:1', async () => {
    fake.roster(TEAM_ID, [...ROSTER, FREJA]);
    await roster('teamMemberAdded', 'membersAdded', FREJA);
    const saved = await deps.app.store.getRun(TEAM);
    expect(saved!.members.find((m) => m.userId === FREJA.id)).toEqual({ userId: FREJA.id, name: FREJA.name, roles: ['staff'] });
    expect(saved!.members.find((m) => m.userId === AISHA.id)?.roles).toEqual(['facilitator']);
    expect((await deps.app.store.getConversation(TEAM, FREJA.id))?.reference).toMatchObject({ user: { id: FREJA.id, aadObjectId: FREJA.aadObjectId }, conversation: { tenantId: TENANT } });
    expect(await deps.app.outbox.get(TEAM, 'welcome', FREJA.id)).toMatchObject({ card: { name: 'welcome', locale: 'sv', data: { role: 'staff', programmeTitle: expect.any(String) } } });
  });

  it('a member removed is gone from the run, so nothing more is planned for them', async () => {
    await roster('teamMemberRemoved', 'membersRemoved', AISHA);
    const saved = await deps.app.store.getRun(TEAM);
    expect(saved!.members.map((m) => m.userId)).toEqual([LENE.id, OLE.id, SOEREN.id]);
  });

  it('uninstalled: the run stops and its data stays until erase or retention', async () => {
    await lifecycle(teamActivity('installationUpdate', { action: 'remove' }));
    const saved = await deps.app.store.getRun(TEAM);
    expect(saved).toMatchObject({ active: false, programmeId: 'skolverket-kollegialt-larande', channelKey: CHANNEL_KEY });
    expect(saved!.members).toHaveLength(4);
    expect(await deps.app.store.getConversation(TEAM, CHANNEL_KEY)).toBeDefined();
  });

  it('installed again: the set-up card starts from the team’s earlier choices', async () => {
    await lifecycle(teamActivity('installationUpdate', { action: 'remove' }));
    fake.reset();
    fake.roster(TEAM_ID, ROSTER);
    await install({ from: account(OLE) });
    const chat = fake.created()[0]!.conversationId;
    const setup = cardsIn(chat)[0]!;
    expect(texts(setup)[0]).toBe('Lägg upp programmet för Børnehuset Solsikken');
    expect(setup.body.find((b) => b['id'] === 'programme')).toMatchObject({ value: 'skolverket-kollegialt-larande' });
    expect(setup.body.find((b) => b['id'] === 'setting:skolverket-kollegialt-larande:cadence')).toMatchObject({ value: 'intensivlasa' });
    expect(setup.body.find((b) => b['id'] === `role:${AISHA.id}`)).toMatchObject({ value: 'facilitator' });
    expect((await deps.app.store.getRun(TEAM))?.active).toBe(false);
  });
});

describe('a group chat and a personal chat', () => {
  const CHAT = '19:groupchat-1@thread.v2';
  const chatActivity = (type: string, fields: Json = {}) =>
    teamActivity(type, { conversation: { id: CHAT, conversationType: 'groupChat', isGroup: true, tenantId: TENANT }, channelData: { tenant: { id: TENANT } }, ...fields });

  it('a group chat is a team of its own: its members are read, it is greeted, the installer gets the set-up card', async () => {
    fake.roster(CHAT, [LENE, AISHA]);
    await lifecycle(chatActivity('installationUpdate', { action: 'add' }));
    const chatTeam = { tenant: TENANT, team: CHAT };
    expect((await deps.app.store.members(chatTeam)).map((m) => m.userId)).toEqual([LENE.id, AISHA.id]);
    expect(texts(cardsIn(CHAT)[0])[0]).toBe('Hej fra Sparringsbot');
    expect(await deps.app.store.getConversation(chatTeam, `channel:${CHAT}`)).toMatchObject({ reference: { conversation: { id: CHAT, conversationType: 'groupChat' } } });
    const setup = cardsIn(fake.created()[0]!.conversationId)[0]!;
    expect(setup.actions![0]!.data).toEqual({ card: 'team-setup', team: chatTeam, channelId: CHAT, installedBy: LENE.id });
  });

  it('a personal install: the person is reached there for their teams and told what comes', async () => {
    const { data } = await installed();
    await submit(account(LENE), data, { ...SKOLVERKET_INPUTS, locale: 'da' });
    const personal = (who: typeof AISHA, id: string) =>
      teamActivity('installationUpdate', { action: 'add', from: account(who), conversation: { id, conversationType: 'personal', tenantId: TENANT }, channelData: { tenant: { id: TENANT } } });

    await lifecycle(personal(AISHA, 'a:1aisha-chat'));
    expect((await deps.app.store.getConversation(TEAM, AISHA.id))?.reference).toMatchObject({ conversation: { id: 'a:1aisha-chat', conversationType: 'personal' } });
    const welcome = texts(cardsIn('a:1aisha-chat')[0]);
    expect(welcome).toEqual(
      expect.arrayContaining(['Hej fra Sparringsbot', 'Planlæg, organisér og følg op på kollegial læring', 'Du er facilitator: du leder møderne og sender dagsordener og opsummeringer.']),
    );

    // Someone in no team's run yet hears what happens next.
    await lifecycle(personal(FREJA, 'a:1freja-chat'));
    expect(texts(cardsIn('a:1freja-chat')[0])).toContain('Når dit team har sat et forløb op, får du dine opgaver og spørgsmål her.');
    expect(await deps.app.store.getConversation(TEAM, FREJA.id)).toBeUndefined();
  });
});
