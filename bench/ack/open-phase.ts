// (a) Signed `/sparring status` requests open-loop at RATE per second: the acks' times, then every answer
// posted to response_url awaited.
import type { FakeCounts } from './children.ts';
import { RATE } from './config.ts';
import { openLoop } from './load.ts';
import { type Answers, cpuMeter } from './measure.ts';
import type { Children } from './setup.ts';
import { load } from './stats.ts';

export type OpenPhase = Awaited<ReturnType<typeof openPhase>>;

export async function openPhase(children: Children, answers: Answers, duration: number, beforeA: FakeCounts) {
  // (a) Open loop at RATE per second.
  const count = Math.round(duration * RATE);
  const cpuA = await cpuMeter(children);
  const a = await openLoop(children.ours, count);
  const aCpu = await cpuA();
  const acks = a.answers.filter((x) => x.status === 200).length;
  const non200 = a.answers.length - acks;
  const socketErrors = a.answers.filter((x) => x.error).length;
  answers.expected += acks;
  const drainA = await answers.allAnswered('the answers of (a)');
  const answered = drainA.seen.statusCards - beforeA.statusCards;
  const otherAnswersA = drainA.seen.otherAnswers - beforeA.otherAnswers;
  const times = a.answers.map((x) => x.ms).sort((x, y) => x - y);
  const loadAfterA = load();
  return { count, a, aCpu, acks, non200, socketErrors, drainA, answered, otherAnswersA, times, loadAfterA };
}
