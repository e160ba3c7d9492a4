// Install, set-up and roster changes in Teams, translated to the app's set-up use cases (src/app/setup).
// What is valid, who may, and what is stored is the app's; the Teams facts (scope, roster, owners, where a
// person or channel is reached) are in teams-facts.ts.
import { type ChannelAccount, type TeamsChannelAccount, TeamsInfo, type TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { AppDeps } from '../../app/context.ts';
import type { TeamRef } from '../../app/ports.ts';
import { memberJoined, memberLeft, rosterSeen, uninstalled, welcomeFor } from '../../app/setup/members.ts';
import { localeOf } from '../../app/setup/options.ts';
import { setupCard, valuesOf } from '../../app/setup/setup-card.ts';
import { submitSetup } from '../../app/setup/submit-setup.ts';
import { renderAdaptiveCard } from '../../cards/render.ts';
import type { ViewModelInput } from '../../cards/view-models.ts';
import {
  channelReference,
  errorText,
  isBot,
  isTeamOwner,
  memberOf,
  openPersonalChat,
  personalReference,
  post,
  readRoster,
  type Scope,
  savePersonalReference,
  scopeOf,
  teamsUserId,
} from './teams-facts.ts';

/** Our user id for a Teams account, and what a sender needs to open a stored person's 1:1: see teams-facts.ts. */
export { conversationParametersOf, teamsUserId } from './teams-facts.ts';

export interface TeamsLifecycleDeps {
  app: AppDeps;
}

/**
 * A conversationUpdate or installationUpdate: the bot installed or removed, members added or removed,
 * in a team, a group chat or a personal chat.
 */
export async function onTeamsLifecycle(context: TurnContext, deps: TeamsLifecycleDeps): Promise<void> {
  const activity = context.activity;
  const scope = scopeOf(activity);
  if (!scope) {
    deps.app.logger.warn({ type: activity.type, channelId: activity.channelId }, 'Teams lifecycle event without a tenant or conversation ignored');
    return;
  }
  if (activity.type === 'installationUpdate') {
    // `add-upgrade` and `remove-upgrade` are a new version of the app: nothing to do.
    if (activity.action === 'add') await installed(context, deps, scope, true);
    else if (activity.action === 'remove') await removed(deps, scope);
    return;
  }
  if (activity.type !== 'conversationUpdate') return;
  const bot = activity.recipient?.id;
  const eventType = (activity.channelData as { eventType?: string } | undefined)?.eventType;
  const added = activity.membersAdded ?? [];
  const gone = activity.membersRemoved ?? [];
  // Teams also says "the bot was added" beside installationUpdate: store what it brings, greet only once (there).
  if (added.some((m) => m.id === bot)) await installed(context, deps, scope, false);
  else for (const member of added) await joined(context, deps, scope, member);
  if (eventType === 'teamDeleted' || gone.some((m) => m.id === bot)) await removed(deps, scope);
  else if (scope.kind !== 'personal') for (const member of gone) await memberLeft(deps.app, scope.team, teamsUserId(member));
}

async function installed(context: TurnContext, deps: TeamsLifecycleDeps, scope: Scope, greet: boolean): Promise<void> {
  if (scope.kind === 'personal') return installedPersonally(context, deps, scope, greet);
  const { app } = deps;
  const activity = context.activity;
  const channelKey = `channel:${scope.channelId}`;
  await app.store.saveConversation(scope.team, channelReference(activity, scope));
  const run = await app.store.getRun(scope.team);
  if (run && !run.channelKey) await app.store.saveRun({ ...run, members: [], channelKey });

  const roster = await readRoster(context, deps, scope);
  const installer = activity.from;
  // Whoever installs is one of the team's, even when the roster could not be read.
  if (greet && installer?.id && !roster.accounts.some((a) => a.id === installer.id)) roster.accounts.push(installer);
  for (const account of roster.accounts) await savePersonalReference(app, scope.team, personalReference(activity, account, scope.tenant));
  await rosterSeen(app, scope.team, roster.accounts.map(memberOf), { complete: roster.complete });
  if (!greet || !installer?.id) return;
  // Who installed it is kept here, on our side: the set-up card's data can be forged, the store cannot.
  // Until the set-up says otherwise, the installer leads the team's programme.
  if (!run) {
    const known = (await app.store.members(scope.team)).find((m) => m.userId === teamsUserId(installer));
    await app.store.saveMember(scope.team, { ...(known ?? memberOf(installer)), roles: ['leader'] });
  }

  const locale = run?.locale ?? localeOf(activity.locale);
  // A team whose run is still on (its removal was never heard of) is told what it runs; any other, that set-up comes.
  const programme = run?.active ? app.programmes.get(run.programmeId) : undefined;
  const welcome: ViewModelInput<'welcome'> = {
    ...(scope.teamName ? { teamName: scope.teamName } : {}),
    ...(run && programme ? { programmeTitle: programme.title[run.locale], programmeSummary: programme.summary[run.locale] } : { pending: 'setUp' }),
  };
  await post(context, deps, scope.channelId, renderAdaptiveCard('welcome', welcome, { locale }));
  const reply = setupCard(app, {
    team: scope.team,
    ...(scope.teamName ? { teamName: scope.teamName } : {}),
    installedBy: teamsUserId(installer),
    channelId: scope.channelId,
    locale,
    members: await app.store.members(scope.team),
    ...(run ? { values: valuesOf(run) } : {}),
  });
  const card = renderAdaptiveCard(reply.card, reply.data, { locale, ...(run ? { timeZone: run.timeZone } : {}) });
  // In the installer's own chat; where Teams will not open one, in the channel, where only they and the owners can use it.
  const chat = await openPersonalChat(context, deps, scope, installer);
  if (!chat || !(await post(context, deps, chat, card))) await post(context, deps, scope.channelId, card);
}

/** The bot added to someone's personal scope: reach them there for every team of theirs, and say hello. */
async function installedPersonally(context: TurnContext, deps: TeamsLifecycleDeps, scope: Extract<Scope, { kind: 'personal' }>, greet: boolean): Promise<void> {
  const { app } = deps;
  const user = context.activity.from;
  if (!user?.id) return;
  const userId = teamsUserId(user);
  const reference = personalReference(context.activity, user, scope.tenant, scope.conversationId);
  const teams: TeamRef[] = [];
  for (const team of (await app.store.listTeams()).filter((t) => t.tenant === scope.tenant)) {
    if ((await app.store.members(team)).some((m) => m.userId === userId)) teams.push(team);
  }
  for (const team of teams) await app.store.saveConversation(team, reference);
  if (!greet) return;
  const runs = (await Promise.all(teams.map((t) => app.store.getRun(t)))).filter((r) => r?.active);
  const run = runs.length === 1 ? runs[0] : undefined;
  const member = run?.members.find((m) => m.userId === userId);
  const welcome = run && member ? welcomeFor(app, run, member) : undefined;
  const locale = run?.locale ?? localeOf(context.activity.locale);
  await post(context, deps, scope.conversationId, renderAdaptiveCard('welcome', welcome ?? { pending: 'personal' }, { locale, ...(run ? { timeZone: run.timeZone } : {}) }));
}

async function removed(deps: TeamsLifecycleDeps, scope: Scope): Promise<void> {
  // A person removing the bot from their own chat changes no team: their teams still reach them by a new 1:1.
  if (scope.kind === 'personal') return;
  await uninstalled(deps.app, scope.team);
}

async function joined(context: TurnContext, deps: TeamsLifecycleDeps, scope: Scope, added: ChannelAccount): Promise<void> {
  if (scope.kind === 'personal') return installedPersonally(context, deps, scope, false);
  let account: TeamsChannelAccount = added;
  try {
    account = await TeamsInfo.getTeamMember(context, scope.team.team, added.id);
  } catch (error) {
    deps.app.logger.warn({ tenant: scope.tenant, team: scope.team.team, error: errorText(error) }, 'Teams member details not read; the member is added with the id alone');
  }
  if (isBot(account)) return;
  await savePersonalReference(deps.app, scope.team, personalReference(context.activity, account, scope.tenant));
  await memberJoined(deps.app, scope.team, memberOf(account), scope.teamName ? { teamName: scope.teamName } : {});
}

/** What the set-up card's submit carries: see cards/templates/team-setup.json. */
const setupData = z.looseObject({
  card: z.literal('team-setup'),
  team: z.strictObject({ tenant: z.string().min(1), team: z.string().min(1) }),
  channelId: z.string().min(1).optional(),
  installedBy: z.string().min(1).optional(),
});

/**
 * The set-up card's submit (`adaptiveCard/action` with data.card === 'team-setup'): returns the
 * Adaptive Card that replaces the set-up card (the run started, or the form again with what to fix).
 */
export async function onSetupSubmit(
  context: TurnContext,
  deps: TeamsLifecycleDeps,
  submit: { verb: string; data: unknown; inputs: Record<string, unknown> },
): Promise<Record<string, unknown> | undefined> {
  const { app } = deps;
  const activity = context.activity;
  const parsed = setupData.safeParse(submit.data);
  const tenant = activity.conversation?.tenantId ?? (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
  // A card can only set up a team of the tenant it is used in.
  if (!parsed.success || parsed.data.team.tenant !== tenant || submit.verb !== 'start' || !activity.from?.id) {
    app.logger.warn({ tenant, verb: submit.verb, reason: parsed.success ? 'another tenant, verb or sender' : 'set-up data does not fit' }, 'set-up submit refused');
    return renderAdaptiveCard('error', { code: 'badPayload' }, { locale: localeOf(activity.locale) });
  }
  const { team, channelId } = parsed.data;
  const by = { userId: teamsUserId(activity.from), teamOwner: await isTeamOwner(context, deps, team, activity.from.id) };
  let members = await app.store.members(team);
  if (members.length === 0) {
    const roster = await readRoster(context, deps, { kind: 'team', tenant: team.tenant, team, channelId: channelId ?? team.team });
    await rosterSeen(app, team, roster.accounts.map(memberOf), { complete: roster.complete });
    members = await app.store.members(team);
  }
  const { reply } = await submitSetup(app, { team, by, inputs: submit.inputs, members, ...(channelId ? { channelId } : {}), locale: localeOf(activity.locale) });
  return renderAdaptiveCard(reply.card, reply.data, { locale: reply.locale, ...(reply.timeZone ? { timeZone: reply.timeZone } : {}) });
}
