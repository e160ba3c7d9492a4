// The Redis part of the readable summary: replies a second, latency, summaries and memory against their
// targets and the bare SET ceiling, the AOF server's rounds, then CPU, server time per command, the read path
// of the big occurrence and memory by key kind.
import os from 'node:os';
import { ACTIVITY, BIG, OCCURRENCES, REPLIES, ROUNDS, WORKERS } from './config.ts';
import type { ReplySizes } from './generated-replies.ts';
import { median, type WriteStats } from './measure.ts';
import type { RedisFigures } from './redis-figures.ts';
import type { ServerRun } from './server-run.ts';

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => `${n.toFixed(2)} ms`;
const rounds = (xs: number[], fmt: (n: number) => string) => `rounds: ${xs.map(fmt).join(' · ')}`;
const line = (label: string, figure: string, target = '', note = '') => console.log(`  ${label.padEnd(30)}${figure.padEnd(18)}${target.padEnd(20)}${note}`.trimEnd());

export function printRedis(
  where: string,
  plain: ServerRun,
  aof: ServerRun | undefined,
  { meanJson, typicalNamed, typicalAnonymous }: ReplySizes,
  { f, fa, all, big, bytesPerReply, bytesPerSet }: RedisFigures,
) {
  console.log(`RedisStore benchmark: ${int(REPLIES)} replies (${OCCURRENCES.length} occurrences of ${ACTIVITY}, half anonymous), ${WORKERS} concurrent writers on one connection`);
  console.log(`  ${where}, Redis ${plain.version}, appendonly ${plain.aof}; median of ${ROUNDS} rounds (ceiling, replies, ceiling, replies, …)`);
  console.log(`  stored reply JSON: mean ${meanJson} bytes (median named ${typicalNamed}, anonymous ${typicalAnonymous}); ceiling value ${meanJson} bytes`);
  console.log('');
  line(
    'replies/s',
    int(f.perSec),
    '',
    rounds(
      plain.writes.map((w) => w.perSec),
      int,
    ),
  );
  line(
    'write p50 / p99',
    `${f.p50.toFixed(2)} / ${ms(f.p99)}`,
    '',
    `${rounds(
      plain.writes.map((w) => w.p99),
      (n) => n.toFixed(1),
    )} (p99)`,
  );
  line(
    `summary, all ${int(REPLIES)}`,
    ms(all.total),
    'target: < 200 ms',
    `read ${ms(all.read)} + summarise ${ms(all.summarise)}; ${rounds(
      plain.summaryAll.map((s) => s.totalMs),
      (n) => n.toFixed(1),
    )}`,
  );
  line(`summary, one occ. (${int(big.replies)})`, ms(big.total), '', `read ${ms(big.read)} + summarise ${ms(big.summarise)}`);
  line('bytes/reply', int(bytesPerReply), 'target: < 1 KB', `${rounds(plain.bytesPerReply, int)}; a bare SET key of the same value: ${int(bytesPerSet)}`);
  line(
    'ceiling SET/s',
    int(f.ceiling),
    '',
    `p50 / p99 ${f.cp50.toFixed(2)} / ${ms(f.cp99)}; ${rounds(
      plain.ceilings.map((c) => c.perSec),
      int,
    )}`,
  );
  line('ratio replies/SET', f.ratio.toFixed(2), 'target: ≥ 0.5', `per round: ${plain.writes.map((w, i) => (w.perSec / plain.ceilings[i]!.perSec).toFixed(2)).join(' · ')}`);
  if (fa && aof) {
    console.log('');
    console.log(`  with AOF (appendfsync everysec), same rounds on a second private server:`);
    line(
      'replies/s',
      int(fa.perSec),
      '',
      rounds(
        aof.writes.map((w) => w.perSec),
        int,
      ),
    );
    line('write p50 / p99', `${fa.p50.toFixed(2)} / ${ms(fa.p99)}`);
    line(
      'ceiling SET/s',
      int(fa.ceiling),
      '',
      rounds(
        aof.ceilings.map((c) => c.perSec),
        int,
      ),
    );
    line('ratio replies/SET', fa.ratio.toFixed(2), 'target: ≥ 0.5', `per round: ${aof.writes.map((w, i) => (w.perSec / aof.ceilings[i]!.perSec).toFixed(2)).join(' · ')}`);
  } else {
    console.log(`\n  AOF run skipped: REDIS_URL given (its appendonly is ${plain.aof})`);
  }

  console.log('');
  const cpu = (xs: Array<WriteStats>) => {
    const c = xs.map((x) => x.cpu).filter((x) => x !== undefined);
    return `client ${median(c.map((x) => x.client)).toFixed(1)} µs + server ${median(c.map((x) => x.server)).toFixed(1)} µs`;
  };
  console.log(`  CPU per operation (medians): reply ${cpu(plain.writes)}; bare SET ${cpu(plain.ceilings)} (${os.availableParallelism()} CPUs shared by both)`);
  console.log(
    `  Server time per call (INFO commandstats, round 1; evalsha's time includes the commands it runs): ` +
      (plain.commands ?? [])
        .filter((c) => c.cmd !== 'get')
        .map((c) => `${c.cmd} ${c.calls}× ${(c.usec / c.calls).toFixed(1)} µs`)
        .join(', ') +
      `; bare set ${(plain.ceilingCommands ?? [])
        .filter((c) => c.cmd === 'set')
        .map((c) => `${(c.usec / c.calls).toFixed(1)} µs`)
        .join('')}`,
  );
  if (plain.breakdown) {
    const b = plain.breakdown;
    console.log(
      `  Reads of ${BIG} (best of 3): anonymousReplies ${ms(b.anonymousReplies)} (its ZRANGE alone ${ms(b.zrangeAnonymous)}), namedReplies ${ms(b.namedReplies)} (its HGETALL alone ${ms(b.hgetallNamed)})`,
    );
  }
  console.log(`  Memory by key kind (MEMORY USAGE, round 1; per reply = bytes / ${int(REPLIES)}):`);
  for (const [kind, k] of plain.kinds ?? []) {
    console.log(
      `    ${kind.padEnd(16)}${`${int(k.keys)} keys`.padStart(12)}${`${int(k.bytes)} B`.padStart(14)}${`${(k.bytes / REPLIES).toFixed(0)} B/reply`.padStart(14)}   biggest ${int(k.biggest)} B`,
    );
  }
}
