// `/sparring hours` through Slack end to end: signed requests to the server as `npm start` builds it (on
// Redis, real Bolt), the hours the scheduler booked, the answer through the response_url, the correction in
// a modal, and someone else's card refused.
import { describe, expect, it } from 'vitest';
import { buttonClick, slashCommand, useSlackServer, viewSubmission, SLACK_TEAM, slackTeamRun, seedSlackRun } from '../support/slack-server.ts';
import { waitFor } from '../support/wait-for.ts';

const TEAM = SLACK_TEAM;
// Three weeks in: the startup meeting (1.5 h) and the first theme meeting (4 h) have been held.
const RUN = slackTeamRun('sevu-kollegial-sparring', 21, ['Lene Bach', 'Aisha Rahimi', 'Mikkel Lund']);

type Block = { type: string; block_id?: string; elements?: Array<{ action_id?: string; value?: string }> };

describe('Slack: /sparring hours', () => {
  const slack = useSlackServer({
    name: 'slack-hours',
    // SEVU is built in.
    programmes: {},
    seed: (store) => seedSlackRun(store, RUN),
  });
  const send = async (body: string) => (await slack.post(body)).status;
  const answers = (text: string) => slack.fake.callsTo('response_url').filter((c) => JSON.stringify(c.body).includes(text));
  /** The button of an ephemeral answer, clicked by `user`. */
  const clickEphemeral = (user: string, button: { action_id?: string; value?: string }, responseId: string) =>
    buttonClick({
      user,
      in: { channel: 'C1', ts: '1700000009.000100', ephemeral: true },
      trigger: `trigger-${responseId}`,
      responseUrl: slack.fake.responseUrl(responseId),
      actionId: button.action_id,
      value: button.value,
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
