// The Redis runs' figures: the medians over the rounds that the summary prints, and the last line's JSON.
import { embeddedFigures } from './embedded-report.ts';
import type { EmbeddedRun } from './embedded-phase.ts';
import { median } from './measure.ts';
import type { ServerRun } from './server-run.ts';

/** A run's write and ceiling figures, each the median of its rounds. */
const figures = (run: ServerRun) => {
  const perSec = median(run.writes.map((w) => w.perSec));
  const ceiling = median(run.ceilings.map((c) => c.perSec));
  return {
    perSec,
    p50: median(run.writes.map((w) => w.p50)),
    p99: median(run.writes.map((w) => w.p99)),
    ceiling,
    ratio: perSec / ceiling,
    cp50: median(run.ceilings.map((c) => c.p50)),
    cp99: median(run.ceilings.map((c) => c.p99)),
  };
};

export function redisFigures(plain: ServerRun, aof: ServerRun | undefined) {
  const f = figures(plain);
  const fa = aof ? figures(aof) : undefined;
  const all = {
    total: median(plain.summaryAll.map((s) => s.totalMs)),
    read: median(plain.summaryAll.map((s) => s.readMs)),
    summarise: median(plain.summaryAll.map((s) => s.summariseMs)),
  };
  const big = {
    total: median(plain.summaryBig.map((s) => s.totalMs)),
    read: median(plain.summaryBig.map((s) => s.readMs)),
    summarise: median(plain.summaryBig.map((s) => s.summariseMs)),
    replies: plain.summaryBig[0]?.replies ?? 0,
  };
  const bytesPerReply = median(plain.bytesPerReply);
  const bytesPerSet = median(plain.ceilings.map((c) => c.bytesPerKey));
  return { f, fa, all, big, bytesPerReply, bytesPerSet };
}

export type RedisFigures = ReturnType<typeof redisFigures>;

/** The last line: Redis's figures, then the embedded store's when it ran. */
export function lastLine({ f, fa, all, bytesPerReply }: RedisFigures, embedded: EmbeddedRun | undefined): string {
  const round = (n: number, digits: number) => Number(n.toFixed(digits));
  return JSON.stringify({
    repliesPerSec: Math.round(f.perSec),
    p50WriteMs: round(f.p50, 2),
    p99WriteMs: round(f.p99, 2),
    summaryMs: round(all.total, 1),
    bytesPerReply: Math.round(bytesPerReply),
    ceilingRatio: round(f.ratio, 2),
    ceilingPerSec: Math.round(f.ceiling),
    aof: fa ? { repliesPerSec: Math.round(fa.perSec), p50WriteMs: round(fa.p50, 2), p99WriteMs: round(fa.p99, 2) } : null,
    ...(embedded ? embeddedFigures(embedded) : {}),
  });
}
