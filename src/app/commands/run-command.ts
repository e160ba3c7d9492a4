import type { Role } from '../../domain/programme/schema.ts';
import { may, whoMay } from '../permissions.ts';
import { type Actor, type AppDeps, type AppReply, answerOrTryAgain, errorReply, logContext, teamRun } from '../context.ts';
import { agenda } from './agenda.ts';
import { calendar } from './calendar.ts';
import { handleplan } from './handleplan.ts';
import { hours } from './hours.ts';
import { role } from './role.ts';
import type { CommandSpec } from './command.ts';
import { plan } from './plan.ts';
import { reminders } from './reminders.ts';
import { status } from './status.ts';
import { summary } from './summary.ts';

/**
 * `/sparring <command>`, the same on every platform: a receiver passes the text after `/sparring`
 * and presents the card it gets back. A wrong command, argument or role gets an error card with the
 * valid choices, is logged, and changes nothing.
 */

/** Every command, in the order help lists them. `help` needs no run: it is answered here. */
export const COMMANDS = { help: undefined, agenda, plan, status, hours, summary, calendar, role, handleplan, reminders } as const satisfies Record<string, CommandSpec | undefined>;
export type CommandName = keyof typeof COMMANDS;
export const COMMAND_NAMES = Object.keys(COMMANDS) as CommandName[];

const isCommand = (word: string): word is CommandName => Object.hasOwn(COMMANDS, word);

export function allowedCommands(roles: readonly Role[]): CommandName[] {
  return COMMAND_NAMES.filter((name) => {
    const spec: CommandSpec | undefined = COMMANDS[name];
    return !spec || may(spec.permission, roles);
  });
}

export function runCommand(deps: AppDeps, actor: Actor, text: string): Promise<AppReply> {
  return answerOrTryAgain(deps.logger, { tenant: actor.team.tenant, team: actor.team.team }, () => run(deps, actor, text));
}

async function run(deps: AppDeps, actor: Actor, text: string): Promise<AppReply> {
  const [word = 'help', ...args] = text
    .trim()
    .replace(/^\/sparring\b/i, '')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  const command = word.toLowerCase();
  const team = await teamRun(deps, actor);
  const allowed = allowedCommands(team?.roles ?? []);
  const refuse = (reason: string, reply: AppReply) => {
    deps.logger.warn({ ...logContext(actor), command, reason }, 'command refused');
    return reply;
  };

  if (!isCommand(command)) return refuse('unknown command', errorReply('unknownCommand', allowed));
  const spec: CommandSpec | undefined = COMMANDS[command];
  if (!spec) return { card: 'help', data: { commands: allowed } };
  if (!team) return refuse('no run', errorReply('notMember'));
  if (!allowed.includes(command)) return refuse('wrong role', errorReply('wrongRole', allowed, whoMay(spec.permission)));
  if (!spec.takesArguments && args.length > 0) return refuse('extra argument', errorReply('badArgument', [`/sparring ${command}`]));
  return spec.run({ deps, actor, team, args, refuse });
}
