// Slack's inbound side end to end: signed requests POSTed to /slack/events of the server as `npm start`
// builds it (in-process, on Redis), real Bolt, Web API calls and response_url posts at a fake Slack.
import { describe, expect, it, vi } from 'vitest';
import { planOf } from '../../src/app/run-plan.ts';
import { parseProgramme } from '../../src/programmes/load.ts';
import { buttonClick, interaction, slashCommand, useSlackServer, viewSubmission, SLACK_TEAM, slackTeamRun, seedSlackRun } from '../support/slack-server.ts';
import { TEAMS_TEST_PROGRAMME } from '../support/teams-activities.ts';
import { waitFor } from '../support/wait-for.ts';

const TEAM = SLACK_TEAM;
const programme = parseProgramme(TEAMS_TEST_PROGRAMME, 'teams-test.yaml');

const RUN = slackTeamRun('teams-test', 21);
const now = Date.now();
const practice = planOf(RUN, programme).occurrences.filter((o) => o.activityId === 'oevebane' && Date.parse(o.start) <= now);
const refOf = (o: { activityId: string; id: string }) => ({ programmeId: 'teams-test', activityId: o.activityId, occurrenceId: o.id });

describe('Slack: POST /slack/events', () => {
  const slack = useSlackServer({
    name: 'slack-rx',
    programmes: { 'teams-test.yaml': TEAMS_TEST_PROGRAMME },
    seed: (store) => seedSlackRun(store, RUN),
  });
  const send = (body: string, headers: Record<string, string>) => slack.post(body, { headers });
  const signed = (body: string, timestamp?: number, secret?: string) => slack.signed(body, { ...(timestamp ? { timestamp } : {}), ...(secret ? { secret } : {}) });
  const command = (user: string, text: string, responseId: string) => slashCommand({ user, text, responseUrl: slack.fake.responseUrl(responseId) });
  const click = (user: string, channel: string, ts: string, verb: string, data: unknown, actionId = verb) =>
    buttonClick({ user, in: { channel, ts }, responseUrl: slack.fake.responseUrl('click'), actionId, value: JSON.stringify({ verb, ...(data as object) }) });

  it('runs on the one server, Slack named, with no call to auth.test', () => {
    expect(slack.server.channels).toEqual(['slack']);
    expect(slack.fake.callsTo('auth.test')).toHaveLength(0);
  });

  it('answers Slack’s url_verification with its challenge (setting the Request URL)', async () => {
    const body = JSON.stringify({ token: 'legacy', challenge: 'c-123', type: 'url_verification' });
    const answer = await send(body, { ...signed(body), 'content-type': 'application/json' });
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('c-123');
  });

  it('answers `/sparring plan` with the plan, to the person only, through the response_url', async () => {
    const body = command('U2', 'plan', 'plan');
    const answer = await send(body, signed(body));
    expect(answer.status).toBe(200);
    await waitFor(() => slack.fake.callsTo('response_url').some((c) => c.body['response_type'] === 'ephemeral'), { what: 'the ephemeral plan' });
    const reply = slack.fake.callsTo('response_url')[0]!.body;
    expect(reply).toMatchObject({ response_type: 'ephemeral' });
    expect(Array.isArray(reply['blocks']) && reply['blocks'].length).toBeGreaterThan(0);
  });

  it('posts the agenda to C1 through the outbox when the leader asks `/sparring agenda`', async () => {
    const before = slack.fake.callsTo('chat.postMessage').filter((c) => c.body['channel'] === 'C1').length;
    const body = command('U1', 'agenda', 'agenda');
    expect((await send(body, signed(body))).status).toBe(200);
    await waitFor(() => slack.fake.callsTo('chat.postMessage').filter((c) => c.body['channel'] === 'C1').length > before, { what: 'the agenda posted in C1' });
    await waitFor(() => slack.fake.callsTo('response_url').length >= 2, { what: 'the leader’s answer' });
    const posted = slack.fake.callsTo('chat.postMessage').filter((c) => c.body['channel'] === 'C1');
    expect(posted.at(-1)!.body).toMatchObject({ channel: 'C1', text: 'Sparringsmøde' });
    expect(JSON.stringify(posted.at(-1)!.body['blocks'])).toContain('Spørgsmål til sparringen');
    expect(slack.fake.callsTo('response_url').find((c) => JSON.stringify(c.body).includes('Sendt til teamkanalen'))?.body).toMatchObject({ response_type: 'ephemeral' });
  });

  it('stores a practice prompt’s “done” once, also when Slack retries, and updates the message', async () => {
    const occurrence = practice[0]!;
    const body = click('U2', 'D2', '1700000001.000100', 'done', { card: 'practice-prompt', ref: refOf(occurrence) });
    expect((await send(body, signed(body))).status).toBe(200);
    await waitFor(() => slack.fake.callsTo('chat.update').length >= 1, { what: 'the answered card' });
    expect(slack.fake.callsTo('chat.update')[0]!.body).toMatchObject({ channel: 'D2', ts: '1700000001.000100' });
    expect(JSON.stringify(slack.fake.callsTo('chat.update')[0]!.body['blocks'])).toContain('Godt gået');
    // Slack's retry of the same request: answered again, stored once.
    expect((await send(body, { ...signed(body), 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' })).status).toBe(200);
    await waitFor(() => slack.fake.callsTo('chat.update').length >= 2, { what: 'the retry answered' });
    const replies = await slack.store.namedReplies(TEAM, occurrence.id);
    expect(replies).toEqual([expect.objectContaining({ respondent: expect.objectContaining({ userId: 'U2', platform: 'slack' }), outcome: 'done' })]);
  });

  it('answers a click on an ephemeral message (a command’s answer) through its response_url', async () => {
    const occurrence = practice[4]!;
    const payload = JSON.parse(new URLSearchParams(click('U2', 'C1', '1700000005.000100', 'skip', { card: 'practice-prompt', ref: refOf(occurrence) })).get('payload')!);
    payload.container.is_ephemeral = true;
    payload.response_url = slack.fake.responseUrl('ephemeral-click');
    const body = interaction(payload);
    const updates = slack.fake.callsTo('chat.update').length;
    expect((await send(body, signed(body))).status).toBe(200);
    await waitFor(async () => (await slack.store.namedReplies(TEAM, occurrence.id)).length === 1, { what: 'the skip stored' });
    await waitFor(() => slack.fake.callsTo('response_url').some((c) => c.body['replace_original'] === true), { what: 'the ephemeral message replaced' });
    expect(slack.fake.callsTo('chat.update')).toHaveLength(updates);
    expect(await slack.store.namedReplies(TEAM, occurrence.id)).toEqual([expect.objectContaining({ outcome: 'skipped' })]);
  });

  it('opens the form of “done” as a modal, and its submission stores the note and updates the message', async () => {
    const occurrence = practice[3]!;
    const body = click('U3', 'D3', '1700000004.000100', 'done', { card: 'practice-prompt', ref: refOf(occurrence) }, 'open:done');
    expect((await send(body, signed(body))).status).toBe(200);
    await waitFor(() => slack.fake.callsTo('views.open').length === 1, { what: 'the modal opened' });
    const opened = slack.fake.callsTo('views.open')[0]!.body;
    expect(opened['trigger_id']).toBe('trigger-2');
    const view = opened['view'] as { type: string; callback_id: string; private_metadata: string; blocks: Array<{ type: string; block_id?: string }> };
    expect(view).toMatchObject({ type: 'modal', callback_id: 'done' });
    expect(view.blocks.filter((b) => b.type === 'input').map((b) => b.block_id)).toEqual(['note']);
    expect(JSON.parse(view.private_metadata)).toMatchObject({ tenant: 'T1', channel: 'D3', ts: '1700000004.000100', data: { card: 'practice-prompt', ref: refOf(occurrence) } });
    expect(await slack.store.namedReplies(TEAM, occurrence.id)).toEqual([]);

    const updates = slack.fake.callsTo('chat.update').length;
    const submission = viewSubmission({ user: 'U3', view, values: { note: { type: 'plain_text_input', value: 'Vi byggede en bro' } } });
    const answer = await send(submission, signed(submission));
    expect(answer.status).toBe(200);
    await waitFor(() => slack.fake.callsTo('chat.update').length > updates, { what: 'the answered card' });
    const update = slack.fake.callsTo('chat.update').at(-1)!.body;
    expect(update).toMatchObject({ channel: 'D3', ts: '1700000004.000100' });
    expect(JSON.stringify(update['blocks'])).toContain('Vi byggede en bro');
    expect(await slack.store.namedReplies(TEAM, occurrence.id)).toEqual([
      expect.objectContaining({ respondent: expect.objectContaining({ userId: 'U3', platform: 'slack' }), outcome: 'done', values: { note: 'Vi byggede en bro' } }),
    ]);
  });

  describe('refuses what Slack did not sign, and stores nothing', () => {
    const occurrence = () => practice[1]!;
    const body = () => click('U3', 'D3', '1700000002.000100', 'done', { card: 'practice-prompt', ref: refOf(occurrence()) });

    it('a wrong signature', async () => {
      expect((await send(body(), signed(body(), undefined, 'not-the-secret'))).status).toBe(401);
      expect((await send(body(), { ...signed(body()), 'x-slack-signature': 'v0=00' })).status).toBe(401);
      const unsigned = await send(body(), { 'content-type': 'application/x-www-form-urlencoded' });
      expect(unsigned.status).toBe(401);
    });

    it('a timestamp older than five minutes', async () => {
      expect((await send(body(), signed(body(), Math.floor(Date.now() / 1000) - 6 * 60))).status).toBe(401);
    });

    it('a request replayed later than five minutes', async () => {
      const other = click('U3', 'D3', '1700000003.000100', 'skip', { card: 'practice-prompt', ref: refOf(practice[2]!) });
      const headers = signed(other);
      const before = slack.fake.callsTo('chat.update').length;
      expect((await send(other, headers)).status).toBe(200);
      await waitFor(async () => (await slack.store.namedReplies(TEAM, practice[2]!.id)).length === 1, { what: 'the first, genuine request stored' });
      // The genuine click's own update of its message comes after its ack: counted before the replay.
      await waitFor(() => slack.fake.callsTo('chat.update').length > before, { what: 'the genuine click’s message updated' });
      const updates = slack.fake.callsTo('chat.update').length;
      const realNow = Date.now();
      const spy = vi.spyOn(Date, 'now').mockReturnValue(realNow + 6 * 60_000);
      try {
        expect((await send(other, headers)).status).toBe(401);
      } finally {
        spy.mockRestore();
      }
      expect(await slack.store.namedReplies(TEAM, practice[2]!.id)).toHaveLength(1);
      expect(slack.fake.callsTo('chat.update')).toHaveLength(updates);
    });

    it('and nothing of the forged ones was stored; no token or secret was logged', async () => {
      expect(await slack.store.namedReplies(TEAM, occurrence().id)).toEqual([]);
      const logged = JSON.stringify(slack.logger.entries);
      expect(logged).not.toContain(slack.secret);
      expect(logged).not.toContain(slack.token);
    });
  });
});
