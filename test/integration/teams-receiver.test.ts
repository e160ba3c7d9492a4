// Teams' inbound side end to end: activities POSTed to /api/messages of the server as `npm start` builds
// it (in-process, on Redis, TEAMS_AUTH_DISABLED), real botbuilder, replies at the fake Bot Connector.
import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import { aRun } from '../support/plans.ts';
import type { Run, TeamRef } from '../../src/app/ports.ts';
import { planOf } from '../../src/app/run-plan.ts';
import { parseProgramme } from '../../src/programmes/load.ts';
import { activityId, cardAction, channelThread, message, personalConversation, TEAMS_TEST_PROGRAMME, type Where } from '../support/teams-activities.ts';
import { type TeamsAnswer, seedTeamsRun, useTeamsServer } from '../support/teams-server.ts';
import { waitFor } from '../support/wait-for.ts';

const TENANT = 'tenant-teams-receiver';
const TEAM: TeamRef = { tenant: TENANT, team: '19:team-receiver@thread.tacv2' };
const CHANNEL_KEY = `channel:${TEAM.team}`;
const programme = parseProgramme(TEAMS_TEST_PROGRAMME, 'teams-test.yaml');

const RUN: Run = aRun({
  team: TEAM,
  programmeId: 'teams-test',
  // Started three weeks ago: øvebaner are open, the questionnaire of the first day closed long since.
  start: DateTime.utc().minus({ days: 21 }).toISODate()!,
  timeZone: 'UTC',
  members: [
    { userId: '29:leder', roles: ['leader'] },
    { userId: '29:s1', roles: ['staff'] },
    { userId: '29:s2', roles: ['staff'] },
    { userId: '29:s3', roles: ['staff'] },
  ],
  channelKey: CHANNEL_KEY,
});
const occurrences = planOf(RUN, programme).occurrences;
const now = Date.now();
const practice = occurrences.filter((o) => o.activityId === 'oevebane' && Date.parse(o.start) <= now);
const questionnaire = occurrences.find((o) => o.activityId === 'skema')!;
const refOf = (o: { activityId: string; id: string }) => ({ programmeId: 'teams-test', activityId: o.activityId, occurrenceId: o.id });

describe('Teams: POST /api/messages', () => {
  const teams = useTeamsServer({
    name: 'teams-rx',
    programmes: { 'teams-test.yaml': TEAMS_TEST_PROGRAMME },
    seed: (store, fake) => seedTeamsRun(store, RUN, fake.url),
  });
  const post = teams.post;
  let personal: Where;
  let inTeam: Where;
  beforeAll(() => {
    personal = { serviceUrl: teams.fake.url, tenant: TENANT };
    inTeam = { ...personal, team: TEAM.team };
  });

  /** The invoke's answer card (`value` of an application/vnd.microsoft.card.adaptive response), as text. */
  const cardText = (answer: TeamsAnswer) => {
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: { type: 'AdaptiveCard' } });
    return JSON.stringify((answer.body as { value: unknown }).value);
  };
  /** The bot's replies to one activity (a reply in a turn answers its id; a proactive post answers none). */
  const repliesTo = (id: string) => teams.fake.accepted().filter((m) => m.activity['replyToId'] === id);
  const replyCardText = (id: string) => JSON.stringify((repliesTo(id)[0]?.activity['attachments'] as Array<{ content: unknown }> | undefined)?.[0]?.content);

  it('runs on the one server, Teams named', async () => {
    expect(teams.server.channels).toEqual(['teams']);
    expect(practice.length).toBeGreaterThan(3);
  });

  describe('messages', () => {
    it('answers `sparring plan` in a personal chat with the plan card, in that chat', async () => {
      const activity = message('29:s1', 'sparring plan', personal);
      expect((await post(activity)).status).toBe(200);
      const [reply, ...more] = repliesTo(activity.id);
      expect(more).toEqual([]);
      expect(reply!.conversationId).toBe(personalConversation('29:s1'));
      expect(reply!.activity).toMatchObject({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive' }] });
      expect(replyCardText(activity.id)).toContain('De kommende uger');
      expect(replyCardText(activity.id)).toContain('Øvebane: Undersøg med børnene');
    });

    it.each(['agenda', '/sparring agenda', 'sparring agenda'])('posts the agenda to the team channel when a leader writes “@Sparringsbot %s” there', async (text) => {
      const activity = message('29:leder', text, inTeam);
      expect((await post(activity)).status).toBe(200);
      const [reply] = repliesTo(activity.id);
      expect(reply!.conversationId).toBe(channelThread(TEAM.team));
      expect(replyCardText(activity.id)).toContain('Sendt til teamkanalen.');
      // Delivery posts it from the outbox, once however often it is asked for this month.
      await waitFor(() => teams.fake.acceptedFor(TEAM.team).some((m) => JSON.stringify(m.activity['channelData']).includes('/agenda:')), { what: 'the agenda in the team channel' });
      expect(teams.fake.acceptedFor(TEAM.team).filter((m) => JSON.stringify(m.activity['channelData']).includes('/agenda:'))).toHaveLength(1);
      expect(teams.fake.duplicates()).toEqual([]);
    });

    it('refuses the agenda to staff, with the commands they may use', async () => {
      const activity = message('29:s2', 'agenda', inTeam);
      await post(activity);
      expect(replyCardText(activity.id)).toContain('Din rolle giver ikke adgang til det.');
    });

    it('tells someone in no run of the tenant that they are not in the programme', async () => {
      const activity = message('29:stranger', 'plan', personal);
      await post(activity);
      expect(replyCardText(activity.id)).toContain('Du er ikke med i dette forløb endnu');
    });

    it('answers a message Teams resends (the same id, twice at once and once more) once', async () => {
      const activity = message('29:s3', '/sparring plan', personal);
      const answers = await Promise.all([post(activity), post(activity)]);
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
      expect((await post(activity)).status).toBe(200);
      expect(repliesTo(activity.id)).toHaveLength(1);
      expect(teams.logger.entries.filter((e) => e.message === 'Teams resent an activity already received')).toHaveLength(2);
    });
  });

  describe('card actions (adaptiveCard/action)', () => {
    it('stores a practice prompt’s answer and replaces the card with the answered one', async () => {
      const occurrence = practice[0]!;
      const answer = await post(cardAction('29:s1', 'done', { card: 'practice-prompt', ref: refOf(occurrence) }, { note: 'Vi byggede en bro' }, personal));
      const text = cardText(answer);
      expect(text).toContain('Godt gået! Dagens øvebane er udført.');
      expect(text).toContain('Vi byggede en bro');
      const replies = await teams.store.namedReplies(TEAM, occurrence.id);
      expect(replies).toEqual([
        expect.objectContaining({ respondent: expect.objectContaining({ userId: '29:s1', platform: 'teams' }), outcome: 'done', values: { note: 'Vi byggede en bro' }, history: [] }),
      ]);
    });

    it('processes a resent invoke once: one reply stored, the same card again', async () => {
      const occurrence = practice[1]!;
      const activity = cardAction('29:s2', 'done', { card: 'practice-prompt', ref: refOf(occurrence) }, { note: 'Første gang' }, personal);
      const [first, second] = await Promise.all([post(activity), post(activity)]);
      const third = await post(activity);
      for (const answer of [first!, second!, third]) expect(cardText(answer)).toContain('Godt gået! Dagens øvebane er udført.');
      const replies = await teams.store.namedReplies(TEAM, occurrence.id);
      expect(replies).toHaveLength(1);
      expect(replies[0]!.history).toEqual([]);
      expect(
        teams.logger.entries
          .filter((e) => e.message === 'reply recorded' && e.fields['occurrenceId'] === occurrence.id)
          .map((e) => e.fields['status'])
          .sort(),
      ).toEqual(['created', 'duplicate', 'duplicate']);
    });

    it('answers a click in a team channel for the person who clicked', async () => {
      const occurrence = practice[2]!;
      const text = cardText(await post(cardAction('29:s3', 'skip', { card: 'practice-prompt', ref: refOf(occurrence) }, {}, inTeam)));
      expect(text).toContain('Sprunget over i dag.');
      expect(await teams.store.namedReplies(TEAM, occurrence.id)).toEqual([expect.objectContaining({ outcome: 'skipped' })]);
    });

    it('answers a questionnaire after its close with the expired card, and stores nothing', async () => {
      const text = cardText(await post(cardAction('29:s1', 'answer', { card: 'questionnaire', ref: refOf(questionnaire) }, { 'answer:tryghed': '4' }, personal)));
      expect(text).toContain('Svarfristen er udløbet');
      expect(await teams.store.anonymousReplies(TEAM, questionnaire.id)).toEqual([]);
    });

    it('answers an unknown card, a forged reference or a value that is no Action.Execute with the error card, never an HTTP error', async () => {
      const unknown = await post(cardAction('29:s1', 'done', { card: 'postcard', ref: refOf(practice[0]!) }, {}, personal));
      expect(cardText(unknown)).toContain('Svaret kunne ikke læses');
      const forged = await post(cardAction('29:s1', 'done', { card: 'practice-prompt', ref: { ...refOf(practice[0]!), occurrenceId: 'nope' } }, {}, personal));
      expect(cardText(forged)).toContain('Svaret kunne ikke læses');
      const submit = { ...cardAction('29:s1', 'done', {}, {}, personal), value: { action: { type: 'Action.Submit' } } };
      expect(cardText(await post(submit))).toContain('Svaret kunne ikke læses');
    });
  });

  it('hands the set-up card’s submit to the set-up flow (lifecycle.ts), not to the card actions', async () => {
    const before = teams.logger.entries.length;
    const setup = { card: 'team-setup', team: { tenant: 'another-tenant', team: '19:other@thread.tacv2' } };
    expect(cardText(await post(cardAction('29:leder', 'start', setup, { programme: 'teams-test' }, personal)))).toContain('AdaptiveCard');
    expect(teams.logger.entries.slice(before).filter((e) => e.message === 'card action refused')).toEqual([]);
  });

  describe('bad requests', () => {
    it('answers a body that is not JSON with 400 JSON, and one that is no activity with 400 too', async () => {
      const broken = await post(undefined, '{"type": "message", ');
      expect(broken).toMatchObject({ status: 400, body: { error: { code: 'badJson' } } });
      expect(broken.type).toContain('application/json');
      const notActivity = await post({ hello: 'world' });
      expect(notActivity).toMatchObject({ status: 400, body: { error: { code: 'badPayload' } } });
      expect(notActivity.type).toContain('application/json');
      const noConversation = await post({ ...message('29:s1', 'plan', personal), conversation: undefined, id: activityId() });
      expect(noConversation.status).toBe(400);
    });
  });
});
