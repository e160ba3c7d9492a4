// The Teams bot of one turn: a message is a `/sparring` command, an Action.Execute click is a card
// action, install and roster changes go to lifecycle.ts. Each goes through the app's one inbound path;
// this file only translates.
import { type AdaptiveCardInvokeResponse, type InvokeResponse, TeamsActivityHandler, type TurnContext } from 'botbuilder';
import type { AppDeps } from '../../app/context.ts';
import { handleInbound, type InboundInput, type InboundReply } from '../../app/inbound.ts';
import type { Logger, SeenActivities } from '../../app/ports.ts';
import { renderAdaptiveCard } from '../../cards/render.ts';
import { onSetupSubmit, onTeamsLifecycle } from './lifecycle.ts';
import { messageActivity } from './teams-channel.ts';
import { cardInvokeResponse, cardSubmitOf, commandText, seenKeyOf, teamOf } from './translate.ts';

export interface TeamsBotDeps {
  app: AppDeps;
  seen: SeenActivities;
  logger: Logger;
}

/**
 * How long an activity id is remembered. Teams resends one it got no answer to within 15 s, a few times at
 * most; ten minutes covers that with room for a slow answer.
 */
export const SEEN_TTL_MS = 10 * 60_000;

const render = (reply: InboundReply) => renderAdaptiveCard(reply.card, reply.data, { locale: reply.locale, timeZone: reply.timeZone });

export class SparringsTeamsBot extends TeamsActivityHandler {
  private readonly deps: TeamsBotDeps;
  constructor(deps: TeamsBotDeps) {
    super();
    this.deps = deps;
  }

  /**
   * One turn, once. botbuilder does not de-duplicate, so a resent message, install or roster change is
   * acknowledged and dropped. A resent card action is answered again through the app, whose writes are
   * idempotent (the same reply stores nothing new, a post goes out once): Teams replaces the card with
   * that answer, and if the first attempt died half-way the resend completes it.
   */
  async turn(context: TurnContext): Promise<void> {
    const { activity } = context;
    const key = seenKeyOf(activity);
    if (key && !(await this.firstTime(key))) {
      this.deps.logger.info({ type: activity.type, name: activity.name }, 'Teams resent an activity already received');
      if (activity.type !== 'invoke') return;
    }
    await this.run(context);
  }

  /**
   * Whether the activity is new; when that cannot be told (Redis away), it is taken as new: a click is
   * answered through the app, which then says "try again" if it cannot store it, rather than no answer at all.
   */
  private async firstTime(key: string): Promise<boolean> {
    try {
      return await this.deps.seen.firstTime(key, SEEN_TTL_MS);
    } catch (error) {
      this.deps.logger.warn({ reason: error instanceof Error ? error.message : String(error) }, 'could not tell whether Teams sent this activity before; handled as new');
      return true;
    }
  }

  protected override async onMessageActivity(context: TurnContext): Promise<void> {
    const text = commandText(context.activity);
    if (text === undefined) return;
    const reply = render(await this.inbound(context, { kind: 'command', text }));
    await context.sendActivity(messageActivity({ card: reply, text: String(reply['fallbackText'] ?? '') }));
  }

  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name !== 'adaptiveCard/action') {
      // A card's Action.Execute is the one invoke the bot takes. botbuilder's handlers of the others (message
      // extensions, task modules, tabs) answer a bare 501, or fail on a value of the wrong shape (a 500): refused
      // here in JSON like any other input the bot does not take.
      this.deps.logger.warn({ name: String(context.activity.name).slice(0, 60) }, 'Teams invoke refused: not one the bot handles');
      return { status: 400, body: { error: { code: 'unsupportedInvoke', message: 'The bot does not handle this invoke.' } } };
    }
    const response = await this.cardAction(context);
    return { status: 200, body: response };
  }

  protected override async onConversationUpdateActivity(context: TurnContext): Promise<void> {
    await onTeamsLifecycle(context, { app: this.deps.app });
  }

  protected override async onInstallationUpdateActivity(context: TurnContext): Promise<void> {
    await onTeamsLifecycle(context, { app: this.deps.app });
  }

  /**
   * An Action.Execute click: the card that replaces the clicked one, always as an Adaptive Card (an
   * expired card, an error card), never an HTTP error. In a channel the card is the clicker's answer;
   * the others keep theirs until they click (see refresh.userIds, not used yet).
   */
  private async cardAction(context: TurnContext): Promise<AdaptiveCardInvokeResponse> {
    const submit = cardSubmitOf(context.activity.value);
    if (!submit) {
      this.deps.logger.warn({ name: context.activity.name }, 'Teams card action refused: not an Action.Execute with data');
      return cardInvokeResponse(renderAdaptiveCard('error', { code: 'badPayload', choices: [] }, { locale: 'da' }));
    }
    if (submit.data['card'] === 'team-setup') {
      const card = await onSetupSubmit(context, { app: this.deps.app }, submit);
      if (card) return cardInvokeResponse(card);
      this.deps.logger.error({ verb: submit.verb }, 'Teams set-up submit gave no card');
      return cardInvokeResponse(renderAdaptiveCard('error', { code: 'internal', choices: [] }, { locale: 'da' }));
    }
    return cardInvokeResponse(render(await this.inbound(context, { kind: 'action', ...submit })));
  }

  private inbound(context: TurnContext, input: InboundInput): Promise<InboundReply> {
    const { activity } = context;
    return handleInbound(this.deps.app, { platform: 'teams', team: teamOf(activity), platformUserId: activity.from.id, input });
  }
}
