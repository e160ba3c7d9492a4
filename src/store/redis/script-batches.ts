import type { Script } from './redis-team.ts';

/** Enough to keep Redis busy well under a millisecond per call, however many are waiting. */
const MOST_PER_CALL = 128;

/** Keys several calls of a batch share (an occurrence's), sent once for all of them. */
export interface KeyGroup {
  id: string;
  keys: readonly string[];
}

interface Call {
  group: KeyGroup;
  keys: readonly string[];
  args: ReadonlyArray<string | number>;
  resolve(outcome: unknown): void;
  reject(error: unknown): void;
}

interface Batch {
  shared: readonly string[];
  calls: Call[];
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
 *
 * When a batch fails (a key of the wrong type, say), each of its calls is sent again alone, so one
 * occurrence's trouble is not every colleague's; a call that fails alone gets the error. The scripts
 * must fail before they write anything (see WRONG_TYPE in scripts.ts): Redis does not undo a script's
 * writes, and a call sent again after its batch wrote it would find itself already answered.
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
        const created: Batch = { shared, calls: [] };
        this.waiting.set(batch, created);
        // After the promise callbacks of this turn: every submit that arrived with this one joins it.
        process.nextTick(() => this.flush(batch, created));
        pending = created;
      }
      if (pending.calls.push({ group, keys, args, resolve, reject }) >= MOST_PER_CALL) this.flush(batch, pending);
    });
  }

  private flush(batch: string, pending: Batch) {
    if (this.waiting.get(batch) !== pending) return;
    this.waiting.delete(batch);
    this.send(pending);
  }

  private send({ shared, calls }: Batch) {
    const places = new Map<string, number>();
    const groupIds: string[] = [];
    const keys = [...shared];
    for (const { group } of calls) {
      if (places.has(group.id)) continue;
      places.set(group.id, groupIds.push(group.id));
      keys.push(...group.keys);
    }
    const args: Array<string | number> = [groupIds.length, ...groupIds];
    for (const call of calls) {
      keys.push(...call.keys);
      args.push(places.get(call.group.id)!, ...call.args);
    }
    this.script(keys.length, ...keys, ...args).then(
      (outcomes) => {
        const each = outcomes as unknown[];
        calls.forEach((call, i) => call.resolve(each[i]));
      },
      (error: unknown) => {
        withoutArguments(error);
        if (calls.length === 1) calls[0]!.reject(error);
        else for (const call of calls) this.send({ shared, calls: [call] });
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
