// A reminder to answer on Slack, end to end through signed requests to /slack/events (real Bolt, a fake Slack):
// "Svar nu" puts the questionnaire in the reminder's place and opens its form at once, and the form's submission
// stores the anonymous answer; "Påmind mig i morgen" and `/sparring reminders off` answer the person only.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { buttonClick, slashCommand, useSlackServer, viewSubmission, SLACK_TEAM, slackTeamRun, seedSlackRun } from '../support/slack-server.ts';
import { waitFor } from '../support/wait-for.ts';

const TEAM = SLACK_TEAM;
const PROGRAMME = `
schemaVersion: 1
id: reminder-test
language: da
title: { da: Påmindelsesprøve, sv: Påminnelseprov, en: Reminder test }
summary: { da: Et forløb til test, sv: Ett testprogram, en: A test programme }
source: test
lengthMonths: 2
phases:
  - id: only
    title: { da: Eneste fase, sv: Enda fasen, en: Only phase }
    activities:
      - id: puls
        kind: questionnaire
        title: { da: Teamets egen puls, sv: Teamets egen puls, en: The team's own pulse }
        audience: [staff]
        durationMinutes: 5
        windowDays: 30
        anonymous: true
        timing: { type: offset, days: 0, time: "00:00" }
        questions:
          - id: tryghed
            text: { da: Hvor tryg er du?, sv: Hur trygg är du?, en: How confident are you? }
            answer: scale
`;
const RUN = slackTeamRun('reminder-test', 3);
const REF = { programmeId: 'reminder-test', activityId: 'puls', occurrenceId: 'puls' };

describe('Slack: the buttons of a reminder to answer', () => {
  const slack = useSlackServer({
    name: 'slack-nudge',
    programmes: { 'reminder-test.yaml': PROGRAMME },
    seed: (store) => seedSlackRun(store, RUN, { channel: false }),
  });
  const click = (user: string, channel: string, ts: string, verb: string) =>
    buttonClick({
      user,
      in: { channel, ts },
      trigger: `trigger-${user}`,
      responseUrl: slack.fake.responseUrl(`click-${user}`),
      actionId: verb,
      value: JSON.stringify({ verb, card: 'answer-reminder', ref: REF }),
    });
  const post = async (body: string) => expect((await slack.post(body)).status).toBe(200);

  it('“Svar nu” shows the questionnaire in the reminder’s place, opens its form at once, and the form stores the answer', async () => {
    await post(click('U2', 'D2', '1700000100.000100', 'open'));
    await waitFor(() => slack.fake.callsTo('views.open').length === 1, { what: 'the questionnaire’s form opened' });
    const opened = slack.fake.callsTo('views.open')[0]!.body;
    expect(opened['trigger_id']).toBe('trigger-U2');
    const view = opened['view'] as { callback_id: string; private_metadata: string; blocks: Array<{ type: string; block_id?: string }> };
    expect(view.callback_id).toBe('answer');
    expect(view.blocks.filter((b) => b.type === 'input').map((b) => b.block_id)).toEqual(['answer:tryghed']);
    expect(JSON.parse(view.private_metadata)).toMatchObject({ tenant: 'T1', channel: 'D2', ts: '1700000100.000100', data: { card: 'questionnaire', ref: REF } });
    await waitFor(() => slack.fake.callsTo('chat.update').some((c) => c.body['ts'] === '1700000100.000100'), { what: 'the reminder replaced' });
    // The message a form belongs to holds its button (to open the form again), the form its questions.
    const replaced = JSON.stringify(slack.fake.callsTo('chat.update').find((c) => c.body['ts'] === '1700000100.000100')!.body['blocks']);
    expect(replaced).toContain('Teamets egen puls');
    expect(replaced).toContain('open:answer');
    expect(JSON.stringify(view.blocks)).toContain('Hvor tryg er du?');

    const updates = slack.fake.callsTo('chat.update').length;
    const submission = viewSubmission({ user: 'U2', view, values: { 'answer:tryghed': { type: 'radio_buttons', selected_option: { value: '4' } } } });
    await post(submission);
    await waitFor(() => slack.fake.callsTo('chat.update').length > updates, { what: 'the answered card' });
    const answered = slack.fake.callsTo('chat.update').at(-1)!.body;
    expect(answered).toMatchObject({ channel: 'D2', ts: '1700000100.000100' });
    expect(JSON.stringify(answered['blocks'])).toContain('Tak for dit svar');
    expect(await slack.store.anonymousReplies(TEAM, 'puls')).toEqual([expect.objectContaining({ values: { tryghed: '4' } })]);
    expect(await slack.store.namedReplies(TEAM, 'puls')).toEqual([]);
  });

  it('“Påmind mig i morgen” keeps the snooze and says when it comes again; `/sparring reminders off` mutes them', async () => {
    await post(click('U3', 'D3', '1700000200.000100', 'snooze'));
    await waitFor(() => slack.fake.callsTo('chat.update').some((c) => c.body['ts'] === '1700000200.000100'), { what: 'the snoozed card' });
    const snoozed = JSON.stringify(slack.fake.callsTo('chat.update').find((c) => c.body['ts'] === '1700000200.000100')!.body['blocks']);
    expect(snoozed).toContain('Du får en påmindelse igen');
    expect(snoozed).not.toContain('Påmind mig i morgen');
    const tomorrow = DateTime.utc().plus({ days: 1 }).set({ hour: 8, minute: 0, second: 0, millisecond: 0 });
    expect(await slack.store.snoozes(TEAM)).toEqual([{ userId: 'U3', occurrenceId: 'puls', until: tomorrow.toJSDate().toISOString() }]);

    await post(slashCommand({ user: 'U3', text: 'reminders off', responseUrl: slack.fake.responseUrl('reminders') }));
    await waitFor(() => slack.fake.callsTo('response_url').some((c) => JSON.stringify(c.body).includes('Slået fra')), { what: 'the reminders answer' });
    expect(await slack.store.reminderMutes(TEAM)).toEqual([{ userId: 'U3', programmeId: 'reminder-test', start: RUN.start }]);
  });
});
