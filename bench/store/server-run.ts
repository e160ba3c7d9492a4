// A server's run: warm-up, then ceiling and reply rounds alternating, with the summaries, the commands and
// the memory by key kind of the first round.
import { randomUUID } from 'node:crypto';
import type { ReplyToRecord } from '../../src/app/ports.ts';
import type { Activity } from '../../src/domain/programme/schema.ts';
import { BIG, OCCURRENCES, ROUNDS, WARM_UP } from './config.ts';
import type { WriteStats } from './measure.ts';
import { Admin, statsDelta } from './redis-admin.ts';
import { memoryByKind, readBreakdown, type SummaryTiming, timeSummary } from './redis-reads.ts';
import { ceilingPhase, writePhase } from './redis-writes.ts';

export interface ServerRun {
  ceilings: Array<WriteStats & { bytesPerKey: number }>;
  writes: WriteStats[];
  bytesPerReply: number[];
  summaryAll: SummaryTiming[];
  summaryBig: SummaryTiming[];
  kinds?: Awaited<ReturnType<typeof memoryByKind>>;
  commands?: Array<{ cmd: string; calls: number; usec: number }>;
  ceilingCommands?: Array<{ cmd: string; calls: number; usec: number }>;
  breakdown?: Awaited<ReturnType<typeof readBreakdown>>;
  version: string;
  aof: string;
}

export async function runOn(url: string, replies: ReplyToRecord[], value: string, activity: Activity, full: boolean): Promise<ServerRun> {
  const admin = new Admin(url);
  // Short, so key names are about as long as production's (`sb:`): key names are part of the memory measured.
  const base = `bs${randomUUID().slice(0, 6)}`;
  try {
    const info = await admin.redis.info('server');
    const version = /redis_version:(\S+)/.exec(info)?.[1] ?? '?';
    const aof = await admin.redis.config('GET', 'appendonly').then(
      (r) => String((r as string[])[1] ?? '?'),
      () => '?',
    );

    // Warm-up: connections, the scripts in the server's cache, the JIT on both paths.
    const warmNs = admin.namespace(base, 'w');
    await ceilingPhase(url, admin, admin.namespace(base, 'ws'), value);
    const warm = await writePhase(url, admin, warmNs, replies, WARM_UP);
    await timeSummary(
      warm.store,
      activity,
      OCCURRENCES.map(([id]) => id),
    );
    await warm.store.close();
    await admin.drop(warmNs);

    const run: ServerRun = { ceilings: [], writes: [], bytesPerReply: [], summaryAll: [], summaryBig: [], version, aof };
    for (let round = 1; round <= ROUNDS; round++) {
      const setNs = admin.namespace(base, `${round}s`);
      const s0 = await admin.commandStats();
      run.ceilings.push(await ceilingPhase(url, admin, setNs, value));
      if (round === 1) run.ceilingCommands = statsDelta(s0, await admin.commandStats(), ['info', 'scan', 'del', 'ping', 'quit', 'client']);

      const ns = admin.namespace(base, `${round}`);
      const written = await writePhase(url, admin, ns, replies);
      run.writes.push(written.stats);
      run.bytesPerReply.push(written.bytesPerReply);
      if (full) {
        run.summaryBig.push(await timeSummary(written.store, activity, [BIG]));
        run.summaryAll.push(
          await timeSummary(
            written.store,
            activity,
            OCCURRENCES.map(([id]) => id),
          ),
        );
        if (round === 1) {
          run.commands = written.commands;
          run.kinds = await memoryByKind(admin, ns);
          run.breakdown = await readBreakdown(url, written.store, ns);
        }
      }
      await written.store.close();
      await admin.drop(ns);
    }
    return run;
  } finally {
    await admin.dropAll();
    await admin.close();
  }
}
