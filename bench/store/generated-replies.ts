// The replies the benchmark stores: Danish free texts and scale answers from the same seed every run, as the
// staff of one day-care programme would give them, and the JSON the store writes for each.
import type { AnonymousReply, Random, ReplyToRecord } from '../../src/app/ports.ts';
import type { Activity } from '../../src/domain/programme/schema.ts';
import { shuffleWith } from '../../src/domain/replies/summary.ts';
import { encode, fingerprint } from '../../src/store/values.ts';
import { seeded } from '../../test/support/seeded.ts';
import { OCCURRENCES } from './config.ts';
import { median } from './measure.ts';

const hex = (next: () => number, n: number) => Array.from({ length: n }, () => Math.floor(next() * 16).toString(16)).join('');
const uuidLike = (next: () => number) => `${hex(next, 8)}-${hex(next, 4)}-4${hex(next, 3)}-a${hex(next, 3)}-${hex(next, 12)}`;

/**
 * The store's ids (anonymous reply ids) as in production: UUID-sized, but repeatable, and about as
 * cheap as `randomUUID` (a counter after a seeded prefix), so the client's CPU per reply is the store's.
 */
export function seededRandom(seed: number): Random {
  const next = seeded(seed);
  const prefix = uuidLike(next).slice(0, 24);
  let n = 0;
  return { id: () => `${prefix}${(n++).toString(16).padStart(12, '0')}`, next };
}

const pick = <T>(next: () => number, items: readonly T[]): T => items[Math.floor(next() * items.length)]!;

const OPENINGS = [
  'Jeg har brug for mere tid til at forberede',
  'Vi mangler materialer og et fast sted til',
  'Det ville hjælpe mig at få sparring med en kollega om',
  'Jeg savner konkrete eksempler på',
  'Der skal være bedre plads i hverdagen til',
  'Vi har brug for fælles aftaler i huset om',
  'Jeg vil gerne lære mere om',
  'Det kræver ro og færre afbrydelser at arbejde med',
];
const TOPICS = [
  'undersøgende aktiviteter på legepladsen',
  'små forsøg med vand, is og sne',
  'naturfaglige samtaler med de yngste børn',
  'matematik i garderoben og ved frokosten',
  'ture i skoven, hvor børnene selv stiller spørgsmål',
  'lup, spande og bøger om smådyr',
  'at dokumentere børnenes undersøgelser',
  'legestemninger, der åbner for nysgerrighed',
];
const ENDINGS = [
  'så det ikke kun bliver noget, vi gør, når der er tid til overs.',
  'og gerne med en kort introduktion på et personalemøde.',
  'fordi børnene tydeligt bliver optaget af det.',
  'så vi kan holde fast i det efter forløbet.',
  'og det skal kunne lade sig gøre med få voksne på stuen.',
  'hvis vi skal lykkes med det sammen.',
];

/** Danish free text, 80–200 characters. */
function freeText(next: () => number): string {
  let text = `${pick(next, OPENINGS)} ${pick(next, TOPICS)}, ${pick(next, ENDINGS)}`;
  while (text.length < 80) text = `${text} ${pick(next, OPENINGS)} ${pick(next, TOPICS)}.`;
  if (text.length > 200) text = `${text.slice(0, 199).replace(/\s+\S*$/, '')}.`;
  return text;
}

/** Scale answers leaning towards 3–4, as self-efficacy items do before a programme. */
const SCALE_WEIGHTS = [0.08, 0.2, 0.34, 0.28, 0.1];
function scale(next: () => number): string {
  let r = next();
  for (let i = 0; i < SCALE_WEIGHTS.length; i++) {
    r -= SCALE_WEIGHTS[i]!;
    if (r < 0) return String(i + 1);
  }
  return '5';
}

export function buildReplies(activity: Activity): ReplyToRecord[] {
  const next = seeded(20_260_801);
  // Staff: our user id (an Entra object id) and the Teams id; the same people answer every occurrence.
  const staff = Array.from({ length: Math.max(...OCCURRENCES.map(([, n]) => n)) }, () => ({
    userId: uuidLike(next),
    platform: 'teams' as const,
    platformUserId: `29:1${hex(next, 20)}-${hex(next, 22)}-${hex(next, 14)}`,
  }));
  const replies: ReplyToRecord[] = [];
  OCCURRENCES.forEach(([occurrenceId, count], o) => {
    const opens = Date.parse('2026-08-03T07:00:00Z') + o * 60 * 86_400_000;
    for (let i = 0; i < count; i++) {
      const values: Record<string, string> = {};
      for (const q of activity.questions) values[q.id] = q.answer === 'scale' ? scale(next) : freeText(next);
      const at = new Date(opens + Math.floor(next() * 14 * 86_400_000)).toISOString();
      replies.push({
        occurrenceId,
        respondent: staff[i]!,
        answers: { outcome: 'answered', values },
        at,
        anonymous: (i + o) % 2 === 0, // half each, in every occurrence
        day: new Date(Date.parse(at) + 2 * 3_600_000).toISOString().slice(0, 10), // Copenhagen, summer time
      });
    }
  });
  return shuffleWith(next)(replies); // occurrences interleave, as submissions from many people do
}

/** The JSON the store writes for a reply (same shape as RedisStore builds), for the ceiling's value size. */
export function storedJson(reply: ReplyToRecord): string {
  if (reply.anonymous) {
    const stored: AnonymousReply = { occurrenceId: reply.occurrenceId, outcome: reply.answers.outcome, values: reply.answers.values, day: reply.day };
    return encode(stored);
  }
  return encode({ occurrenceId: reply.occurrenceId, respondent: reply.respondent, ...reply.answers, at: reply.at, fp: fingerprint(reply.answers) });
}

/** The stored JSON's sizes: the mean (the ceiling's value is this long) and the typical named and anonymous reply. */
export function replySizes(replies: ReplyToRecord[]) {
  const jsonBytes = replies.map((r) => Buffer.byteLength(storedJson(r)));
  const meanJson = Math.round(jsonBytes.reduce((a, b) => a + b, 0) / jsonBytes.length);
  const typicalNamed = Math.round(median(replies.filter((r) => !r.anonymous).map((r) => Buffer.byteLength(storedJson(r)))));
  const typicalAnonymous = Math.round(median(replies.filter((r) => r.anonymous).map((r) => Buffer.byteLength(storedJson(r)))));
  return { meanJson, typicalNamed, typicalAnonymous };
}

export type ReplySizes = ReturnType<typeof replySizes>;
