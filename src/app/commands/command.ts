import type { Permission } from '../permissions.ts';
import type { Actor, AppDeps, AppReply, TeamRun } from '../context.ts';

/** What a command's handler gets: the person, their team's run, and the words after the command. */
export interface CommandContext {
  deps: AppDeps;
  actor: Actor;
  team: TeamRun;
  args: string[];
  /** Logs why the command was refused and returns the error card to show. */
  refuse(reason: string, reply: AppReply): AppReply;
}

export interface CommandSpec {
  /** Who may run it, from the same table as card clicks; the others get "wrong role" with the commands they may use. */
  permission: Exclude<Permission, 'answer' | 'readAllAnswers'>;
  /** Whether words after the command are allowed; without, `/sparring plan x` is refused with the usage. */
  takesArguments: boolean;
  run(context: CommandContext): Promise<AppReply> | AppReply;
}
