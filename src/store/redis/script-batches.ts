import type { Script } from './redis-team.ts';

/** Enough to keep Redis busy well under a millisecond per call, however many are waiting. */
const MOST_PER_CALL = 128;

/** Keys several calls of a batch share (an occurrence's), sent once for all of them. */
export interface KeyGroup {
  id: string;
  keys: readonly string[];
}

interface Batch {
  shared: readonly string[];
  /** Group id → its place (1-based), as the script gets it. */
  groups: Map<string, number>;
  groupIds: string[];
  groupKeys: string[];
  callKeys: string[];
  callArgs: Array<string | number>;
  answers: Array<{ resolve(outcome: unknown): void; reject(error: unknown): void }>;
}

/**
 * Calls of one Lua script made in the same moment (this turn of the event loop) for the same batch,
 * sent to Redis as one call: the script takes them one after the other and answers each. A script
 * call costs Redis several times a plain command, and the client a round trip each, so under load
 * (many people submitting at once) this is what lets a reply cost little more than the writes it
 * makes; alone, a call goes out at once, as it would unbatched.
 *
 * A batch must hold only keys of one hash tag (one team), so it stays atomic on Redis Cluster. What
 * the script gets: KEYS: the `shared` keys, each group's keys (in the order the groups first came),
 * then each call's own keys. ARGV: the number of groups, each group's id, then for each call the
 * place (1-based) of its group followed by its own arguments. It returns one answer per call, in
 * order. Every call of a batch has as many keys and arguments as the others, and every group as many keys.
 */
export class ScriptBatches {
  private readonly script: Script;
  private readonly waiting = new Map<string, Batch>();

  constructor(script: Script) {
    this.script = script;
  }

  call(batch: string, shared: readonly string[], group: KeyGroup, keys: readonly string[], args: ReadonlyArray<string | number>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      let pending = this.waiting.get(batch);
      if (!pending) {
        const created: Batch = { shared, groups: new Map(), groupIds: [], groupKeys: [], callKeys: [], callArgs: [], answers: [] };
        this.waiting.set(batch, created);
        // After the promise callbacks of this turn: every submit that arrived with this one joins it.
        process.nextTick(() => this.flush(batch, created));
        pending = created;
      }
      let place = pending.groups.get(group.id);
      if (place === undefined) {
        place = pending.groupIds.push(group.id);
        pending.groups.set(group.id, place);
        pending.groupKeys.push(...group.keys);
      }
      pending.callKeys.push(...keys);
      pending.callArgs.push(place, ...args);
      if (pending.answers.push({ resolve, reject }) >= MOST_PER_CALL) this.flush(batch, pending);
    });
  }

  private flush(batch: string, pending: Batch) {
    if (this.waiting.get(batch) !== pending) return;
    this.waiting.delete(batch);
    const { shared, groupIds, groupKeys, callKeys, callArgs, answers } = pending;
    const keys = shared.length + groupKeys.length + callKeys.length;
    this.script(keys, ...shared, ...groupKeys, ...callKeys, groupIds.length, ...groupIds, ...callArgs).then(
      (outcomes) => {
        const each = outcomes as unknown[];
        answers.forEach((answer, i) => answer.resolve(each[i]));
      },
      (error: unknown) => {
        withoutArguments(error);
        for (const answer of answers) answer.reject(error);
      },
    );
  }
}

/**
 * ioredis hangs a failed command's arguments on its error (`command.args`), and errors get logged:
 * without them, a failed write puts neither the answers nor who gave them in a log line.
 */
function withoutArguments(error: unknown) {
  if (typeof error === 'object' && error !== null && 'command' in error) delete error.command;
}
