// The benchmark's shape: how many replies, writers and rounds, which questionnaire and its occurrences, and
// the team every reply goes to. Every module of bench/store reads its settings from here.
import type { TeamRef } from '../../src/app/ports.ts';

export const REPLIES = 10_000;
export const WORKERS = 200;
/** Ceiling and reply phases alternate this many times per server; figures are the median of the rounds. */
export const ROUNDS = 5;
export const WARM_UP = 1_000;
export const PROGRAMME = 'odense-science-boernehoejde';
export const ACTIVITY = 'spoergeskema-1';
/** A handful of occurrences of the questionnaire; the first holds half the replies. (`id:n` is how a repeated activity's occurrence is named.) */
export const OCCURRENCES: Array<[id: string, replies: number]> = [
  ['spoergeskema-1', 5_000],
  ['spoergeskema-2', 2_000],
  ['spoergeskema-3', 1_500],
  ['spoergeskema-1:2', 1_000],
  ['spoergeskema-2:2', 500],
];
export const BIG = OCCURRENCES[0]![0];
export const THRESHOLD = 5;
export const REDIS_OPTIONS = { maxRetriesPerRequest: null }; // as RedisStore.connect

export const TEAM: TeamRef = { tenant: '8f3c2a51-6d0e-4b7a-9c21-5e4f7a0b9d13', team: '19:3kq8Xw2VbN7mRt5pLz0aYc1uHd6eJf4s@thread.tacv2' };
