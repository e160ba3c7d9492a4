// The embedded store: a reply's write as the data grows, timed after 1,000 and after 10,000 replies, and what
// writing its data file whole costs at each size.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ReplyToRecord } from '../../src/app/ports.ts';
import { EmbeddedData } from '../../src/store/embedded/embedded-data.ts';
import { EmbeddedReplies } from '../../src/store/embedded/embedded-replies.ts';
import { TEAM } from './config.ts';
import { seededRandom } from './generated-replies.ts';
import { percentile } from './measure.ts';

/** Timed writes after this many replies are stored. */
const EMBEDDED_AT = [1_000, 10_000] as const;
export const EMBEDDED_TIMED = 200;

interface EmbeddedWindow {
  at: number;
  /** Per write, over the timed writes. */
  p50Ms: number;
  meanMs: number;
  p99Ms: number;
  /** Writing the data file whole at this size: what every write cost before the journal, and what folding the journal in costs now. */
  rewriteMs: number;
  fileBytes: number;
}

/** `count` more replies of the same kinds from people beyond the data set's, so each is a new write. */
function morePeople(replies: ReplyToRecord[], count: number): ReplyToRecord[] {
  return replies.slice(0, count).map((r) => ({ ...r, respondent: { ...r.respondent, userId: `${r.respondent.userId}-more` } }));
}

export async function embeddedRun(replies: ReplyToRecord[]) {
  const dir = mkdtempSync(join(os.tmpdir(), 'sparring-bench-embedded-'));
  const file = join(dir, 'data.json');
  const data = new EmbeddedData(file);
  const store = new EmbeddedReplies(data, seededRandom(7));
  const windows: EmbeddedWindow[] = [];
  let written = 0;
  let totalMs = 0;
  const write = async (reply: ReplyToRecord) => {
    const t0 = performance.now();
    const outcome = await store.recordReply(TEAM, reply);
    const ms = performance.now() - t0;
    if (outcome !== 'created') throw new Error(`an embedded write was ${outcome}, not 'created': the data is wrong`);
    totalMs += ms;
    written++;
    return ms;
  };
  try {
    for (const at of EMBEDDED_AT) {
      while (written < at) await write(replies[written]!);
      const next = at + EMBEDDED_TIMED <= replies.length ? replies.slice(at, at + EMBEDDED_TIMED) : morePeople(replies, EMBEDDED_TIMED);
      const times: number[] = [];
      for (const reply of next) times.push(await write(reply));
      const t0 = performance.now();
      data.persist();
      const rewriteMs = performance.now() - t0;
      const sorted = [...times].sort((a, b) => a - b);
      windows.push({
        at,
        p50Ms: percentile(sorted, 50),
        meanMs: times.reduce((a, b) => a + b, 0) / times.length,
        p99Ms: percentile(sorted, 99),
        rewriteMs,
        fileBytes: statSync(file).size,
      });
    }
    data.close();
    return { windows, amortizedMs: totalMs / written, written };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export type EmbeddedRun = Awaited<ReturnType<typeof embeddedRun>>;
