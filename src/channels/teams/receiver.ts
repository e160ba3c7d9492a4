// Teams' inbound side: POST /api/messages, the Bot Connector's requests, on botbuilder's CloudAdapter
// (the same adapter TeamsChannel sends through). Every answer is JSON: an invoke's response, 401 for
// refused credentials, 400 for a body that is no activity, the server's error handler for the rest.
import type { Activity } from 'botbuilder';
import type { Request, Response, NextFunction } from 'express';
import type { AppDeps } from '../../app/context.ts';
import type { Logger, SeenActivities } from '../../app/ports.ts';
import { jsonBody } from '../../http/errors.ts';
import type { Receiver } from '../receiver.ts';
import { SparringsTeamsBot } from './bot.ts';
import { TeamsAdapter, TeamsAuthError, type TeamsAuthOptions } from './teams-adapter.ts';
import { TeamsChannel } from './teams-channel.ts';
import { activityShape } from './translate.ts';

export interface TeamsReceiverDeps {
  app: AppDeps;
  seen: SeenActivities;
  logger: Logger;
}

/** Teams caps a message at about 100 KB; an invoke carries the card's inputs beside Teams' own fields. */
const BODY_LIMIT = '256kb';

/**
 * Teams as a receiver: the Channel delivery sends through and the /api/messages route, on one adapter.
 * With an app id botbuilder checks every request's token; with none (TEAMS_AUTH_DISABLED) it checks nothing.
 */
export function teamsReceiver(auth: TeamsAuthOptions, deps: TeamsReceiverDeps): Receiver & { channel: TeamsChannel } {
  const adapter = new TeamsAdapter(auth);
  const channel = new TeamsChannel({ ...auth, adapter });
  const bot = new SparringsTeamsBot(deps);
  const { logger } = deps;

  async function messages(req: Request, res: Response, next: NextFunction): Promise<void> {
    const shape = activityShape.safeParse(req.body);
    if (!shape.success) {
      logger.warn({ problems: shape.error.issues.map((i) => i.path.join('.') || '(root)') }, 'Teams request refused: not an activity');
      res.status(400).json({ error: { code: 'badPayload', message: 'The body is not a Bot Framework activity.' } });
      return;
    }
    const authorization = req.headers.authorization ?? '';
    try {
      const answer = await adapter.handle(authorization, req.body as Activity, (context) => bot.turn(context));
      res.status(answer?.status ?? 200);
      if (answer?.body === undefined) res.end();
      else res.json(answer.body);
    } catch (error) {
      if (!(error instanceof TeamsAuthError)) return next(error);
      // The reason names no person: a claim missing or not matching, a signature that does not verify.
      logger.warn({ reason: error.message, authorization: authorization ? 'present' : 'none' }, 'Teams request refused: not authenticated');
      res.status(401).json({ error: { code: 'unauthorized', message: 'The request is not authenticated.' } });
    }
  }

  return {
    name: 'teams',
    channel,
    mount(app) {
      app.post('/api/messages', jsonBody(BODY_LIMIT, logger), messages);
    },
    async stop() {},
  };
}
