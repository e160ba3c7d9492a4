// Reading the stored replies back: the summaries as the channel gets them, where the read time goes for the
// big occurrence, and what each kind of key costs in memory.
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import type { AnonymousReply, StoredReply } from '../../src/app/ports.ts';
import type { Activity } from '../../src/domain/programme/schema.ts';
import type { Answers } from '../../src/domain/replies/reply.ts';
import { shuffleWith, summarise } from '../../src/domain/replies/summary.ts';
import type { RedisStore } from '../../src/store/redis/redis-store.ts';
import { seeded } from '../../test/support/seeded.ts';
import { BIG, REDIS_OPTIONS, TEAM, THRESHOLD } from './config.ts';
import type { Admin } from './redis-admin.ts';

export interface SummaryTiming {
  readMs: number;
  summariseMs: number;
  totalMs: number;
  replies: number;
}

export async function timeSummary(store: RedisStore, activity: Activity, occurrences: string[]): Promise<SummaryTiming> {
  const shuffle = shuffleWith(seeded(5));
  let readMs = 0;
  let summariseMs = 0;
  let replies = 0;
  const start = performance.now();
  for (const occurrenceId of occurrences) {
    const t0 = performance.now();
    const [anonymous, named] = await Promise.all([store.anonymousReplies(TEAM, occurrenceId), store.namedReplies(TEAM, occurrenceId)]);
    const t1 = performance.now();
    const answers: Answers[] = [...anonymous, ...named].map((r: AnonymousReply | StoredReply) => ({ outcome: r.outcome, values: r.values }));
    // Closed long ago: the whole summary, as the channel gets it after the close.
    const summary = summarise({
      activity,
      locale: 'da',
      invited: answers.length,
      answers,
      anonymous: activity.anonymous,
      threshold: THRESHOLD,
      shuffle,
      closesAt: '1970-01-01T00:00:00Z',
      now: new Date(),
    });
    const t2 = performance.now();
    if (summary.answered !== answers.length || summary.items.length !== activity.questions.length) throw new Error('unexpected summary');
    readMs += t1 - t0;
    summariseMs += t2 - t1;
    replies += answers.length;
  }
  return { readMs, summariseMs, totalMs: performance.now() - start, replies };
}

/** MEMORY USAGE of every key of the namespace, grouped by what the key is. */
export async function memoryByKind(admin: Admin, ns: string) {
  const keys = await admin.keys(ns);
  const pipeline = admin.redis.pipeline();
  for (const key of keys) pipeline.memory('USAGE', key, 'SAMPLES', 0);
  const sizes = ((await pipeline.exec()) ?? []).map(([, v]) => Number(v));
  const kinds = new Map<string, { keys: number; bytes: number; biggest: number; biggestKey: string }>();
  keys.forEach((key, i) => {
    const rest = key.slice(ns.length + 1);
    const kind = rest === 'teams' ? 'teams' : (rest.split('}:')[1]?.split(':')[0] ?? rest);
    const size = sizes[i] ?? 0;
    const k = kinds.get(kind) ?? { keys: 0, bytes: 0, biggest: 0, biggestKey: '' };
    k.keys++;
    k.bytes += size;
    if (size > k.biggest) {
      k.biggest = size;
      k.biggestKey = key;
    }
    kinds.set(kind, k);
  });
  return [...kinds].sort((a, b) => b[1].bytes - a[1].bytes);
}

/** Time the read path's parts for the big occurrence, one at a time, to see where the read time goes. */
export async function readBreakdown(url: string, store: RedisStore, ns: string) {
  const raw = new Redis(url, REDIS_OPTIONS);
  await raw.ping();
  const tag = `{${encodeURIComponent(TEAM.tenant)}:${encodeURIComponent(TEAM.team)}}`;
  const time = async (f: () => Promise<unknown>) => {
    const t0 = performance.now();
    await f();
    return performance.now() - t0;
  };
  const best = async (f: () => Promise<unknown>) => Math.min(await time(f), await time(f), await time(f));
  const occ = encodeURIComponent(BIG);
  const result = {
    anonymousReplies: await best(() => store.anonymousReplies(TEAM, BIG)),
    namedReplies: await best(() => store.namedReplies(TEAM, BIG)),
    zrangeAnonymous: await best(() => raw.zrange(`${ns}:${tag}:anonymous-answers:${occ}`, '0', '-1')),
    hgetallNamed: await best(() => raw.hgetall(`${ns}:${tag}:replies:${occ}`)),
  };
  await raw.quit();
  return result;
}
