// Slack's membership events as the app's set-up use cases: people joining or leaving a run's channel join
// or leave the run; the bot added to a channel says how to set up; the bot removed from the channel, or the
// app removed from the workspace, stops the runs there. Slack retries an event it thinks we missed: each
// use case is idempotent (someone who joined twice is welcomed once).
import type { AppDeps } from '../../app/context.ts';
import type { TeamRef } from '../../app/ports.ts';
import { memberJoined, memberLeft, uninstalled } from '../../app/setup/members.ts';
import { renderSlackCard } from '../../cards/render.ts';
import type { SlackEvents } from './events.ts';
import { personJoining, personRef } from './roster.ts';

export interface MembershipDeps {
  app: AppDeps;
  /** The app left a workspace (or org): forget its installation. */
  forgetInstallation?: (workspace: { team?: string; enterprise?: string }) => Promise<void>;
}

type Envelope = { team_id?: string; enterprise_id?: string };

export function registerMembership(events: SlackEvents, deps: MembershipDeps): void {
  const { app } = deps;

  events.on('member_joined_channel', async ({ event, body, context, client }) => {
    const workspace = (body as Envelope).team_id ?? event.team;
    const team: TeamRef = { tenant: workspace, team: event.channel };
    const run = await app.store.getRun(team);
    if (event.user === context.botUserId) {
      // Added to a channel that runs nothing yet: say how to begin (once: a run or a retry says nothing more).
      if (!run && !(await app.store.members(team)).length) {
        const welcome = renderSlackCard('welcome', { pending: 'setUpInChannel' }, { locale: 'da' });
        await client.chat.postMessage({ channel: event.channel, text: welcome.text, blocks: welcome.blocks as never });
      }
      return;
    }
    // A channel without a run is none of ours: nobody is stored for it until `/sparring setup`.
    if (!run) return;
    const person = await personJoining(client, event.user);
    if (person.bot) return;
    const enterprise = (body as Envelope).enterprise_id;
    await app.store.saveConversation(team, personRef({ team: workspace, ...(enterprise ? { enterprise } : {}) }, event.user));
    await memberJoined(app, team, { userId: event.user, roles: [], ...(person.name ? { name: person.name } : {}) });
  });

  events.on('member_left_channel', async ({ event, body }) => {
    const team: TeamRef = { tenant: (body as Envelope).team_id ?? event.team, team: event.channel };
    if (await app.store.getRun(team)) await memberLeft(app, team, event.user);
  });

  // The bot removed from a channel: that channel's run stops.
  events.on('channel_left', async ({ event, body }) => {
    const workspace = (body as Envelope).team_id;
    if (workspace) await uninstalled(app, { tenant: workspace, team: event.channel });
  });
  events.on('group_left', async ({ event, body }) => {
    const workspace = (body as Envelope).team_id;
    if (workspace) await uninstalled(app, { tenant: workspace, team: event.channel });
  });

  // The app removed from the workspace: every run there stops, and its token is forgotten.
  events.on('app_uninstalled', async ({ body }) => {
    const { team_id: workspace, enterprise_id: enterprise } = body as Envelope;
    if (!workspace) return;
    for (const team of (await app.store.listTeams()).filter((t) => t.tenant === workspace)) await uninstalled(app, team);
    await deps.forgetInstallation?.({ team: workspace, ...(enterprise ? { enterprise } : {}) });
  });
}
