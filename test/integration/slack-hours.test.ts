// `/sparring hours` through Slack end to end: signed requests to the server as `npm start` builds it (on
// Redis, real Bolt), the hours the scheduler booked, the answer through the response_url, the correction in
// a modal, and someone else's card refused.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { Run, TeamRef } from '../../src/app/ports.ts';
import { aRun } from '../support/plans.ts';
import { interaction, slashCommand, useSlackServer, viewSubmission } from '../support/slack-server.ts';
import { waitFor } from '../support/wait-for.ts';

const TEAM: TeamRef = { tenant: 'T1', team: 'C1' };
// Three weeks in: the startup meeting (1.5 h) and the first theme meeting (4 h) have been held.
const RUN: Run = aRun({
  team: TEAM,
  programmeId: 'sevu-kollegial-sparring',
  start: DateTime.utc().minus({ days: 21 }).toISODate()!,
  timeZone: 'UTC',
  members: [
    { userId: 'U1', name: 'Lene Bach', roles: ['leader'] },
    { userId: 'U2', name: 'Aisha Rahimi', roles: ['staff'] },
    { userId: 'U3', name: 'Mikkel Lund', roles: ['staff'] },
  ],
  channelKey: 'channel:C1',
});

type Block = { type: string; block_id?: string; elements?: Array<{ action_id?: string; value?: string }> };

describe('Slack: /sparring hours', () => {
  const slack = useSlackServer({
    name: 'slack-hours',
    // SEVU is built in.
    programmes: {},
    seed: async (store) => {
      await store.saveRun(RUN);
      await store.saveConversation(TEAM, { platform: 'slack', key: 'channel:C1', reference: { channel: 'C1' } });
      for (const { userId } of RUN.members) await store.saveConversation(TEAM, { platform: 'slack', key: userId, reference: { user: userId } });
    },
  });
  const send = async (body: string) => (await slack.post(body)).status;
  const answers = (text: string) => slack.fake.callsTo('response_url').filter((c) => JSON.stringify(c.body).includes(text));
  /** The button of an ephemeral answer, clicked by `user`. */
  const clickEphemeral = (user: string, button: { action_id?: string; value?: string }, responseId: string) =>
    interaction({
      type: 'block_actions',
      team: { id: 'T1', domain: 'skole' },
      user: { id: user, team_id: 'T1' },
      trigger_id: `trigger-${responseId}`,
      channel: { id: 'C1' },
      container: { type: 'message', message_ts: '1700000009.000100', channel_id: 'C1', is_ephemeral: true },
      response_url: slack.fake.responseUrl(responseId),
      actions: [{ type: 'button', action_id: button.action_id, block_id: 'b1', value: button.value, action_ts: '1' }],
    });
  const saveButton = (body: Record<string, unknown>) => (body['blocks'] as Block[]).flatMap((b) => b.elements ?? []).find((e) => e.action_id?.startsWith('open:correct'))!;

  it('answers with the person’s hours against the budget; the correction in its modal is saved as theirs', async () => {
    // The scheduler books what has ended at start-up: two meetings for each participant.
    await waitFor(async () => (await slack.store.hours(TEAM)).filter((e) => e.userId === 'U2').length === 2 || (await slack.store.hours(TEAM)), { what: 'the hours booked' });
    const command = slashCommand({ user: 'U2', text: 'hours', responseUrl: slack.fake.responseUrl('hours') });
    expect(await send(command)).toBe(200);
    await waitFor(() => answers('Dine timer').length === 1, { what: 'the hours card' });
    const answer = answers('Dine timer')[0]!.body;
    expect(answer).toMatchObject({ response_type: 'ephemeral' });
    expect(JSON.stringify(answer)).toContain('Du har brugt 5,5 t af 13 t – 7,5 t tilbage.');
    expect(JSON.stringify(answer)).not.toContain('Teamets timer');

    const button = saveButton(answer);
    expect(await send(clickEphemeral('U2', button, 'open-hours'))).toBe(200);
    await waitFor(() => slack.fake.callsTo('views.open').length === 1, { what: 'the modal opened' });
    const view = slack.fake.callsTo('views.open')[0]!.body['view'] as { callback_id: string; private_metadata: string; blocks: Block[] };
    expect(view.callback_id).toBe('correct');
    const inputs = view.blocks.filter((b) => b.type === 'input').map((b) => b.block_id!);
    expect(inputs.sort()).toEqual(['hours:opstart', 'hours:temamoede-1']);

    const submission = viewSubmission({
      user: 'U2',
      view,
      values: { 'hours:opstart': { type: 'plain_text_input', value: '2,5' }, 'hours:temamoede-1': { type: 'plain_text_input', value: '4' } },
    });
    expect(await send(submission)).toBe(200);
    await waitFor(() => answers('Dine rettelser er gemt.').length === 1, { what: 'the saved card' });
    expect(JSON.stringify(answers('Dine rettelser er gemt.')[0]!.body)).toContain('Du har brugt 6,5 t af 13 t – 6,5 t tilbage.');
    const mine = (await slack.store.hours(TEAM)).filter((e) => e.userId === 'U2');
    expect(mine.find((e) => e.occurrenceId === 'opstart')).toMatchObject({ hours: 2.5, planned: 1.5 });
    expect(mine.find((e) => e.occurrenceId === 'temamoede-1')).toMatchObject({ hours: 4 });
    expect(mine.find((e) => e.occurrenceId === 'temamoede-1')).not.toHaveProperty('correctedAt');
  });

  it('shows the leader the team, and refuses the leader’s click on a participant’s card', async () => {
    const command = slashCommand({ user: 'U1', text: 'hours', responseUrl: slack.fake.responseUrl('leader-hours') });
    expect(await send(command)).toBe(200);
    await waitFor(() => answers('Teamets timer').length === 1, { what: 'the leader’s hours card' });
    const text = JSON.stringify(answers('Teamets timer')[0]!.body);
    expect(text).toContain('Mikkel Lund');
    expect(text).toContain('5,5 af 13 t – 7,5 t tilbage');

    const before = await slack.store.hours(TEAM);
    const participants = answers('Dine rettelser er gemt.')[0]!.body;
    const opened = slack.fake.callsTo('views.open').length;
    expect(await send(clickEphemeral('U1', saveButton(participants), 'leader-click'))).toBe(200);
    await waitFor(() => answers('Kun den, timerne er bogført på, kan rette dem.').length === 1, { what: 'the refusal' });
    expect(slack.fake.callsTo('views.open')).toHaveLength(opened);
    expect(await slack.store.hours(TEAM)).toEqual(before);
  });
});
