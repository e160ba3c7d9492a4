// `npm run bench:ack`: how fast the server acks Slack's `/sparring` slash command. Slack gives a command
// 3 s for its ack; ours acks first, then works out the answer and posts it to the command's response_url.
// Four processes: this one (the load and the figures); a child with the web process as `npm start` builds it
// with PROCESS_ROLE=web (on Redis, Slack on, its Web API at a fake: it acks and queues each command) and,
// beside it on its own port, a bare Bolt app whose command handler only acks (plain node http); a child with
// the command workers (PROCESS_ROLE=worker, at nice 19: it answers what the web process queued); and a
// child with the fake Slack Web API and response_url.
// (a) Signed `/sparring status` requests from staff members, open-loop at 200 per second (request i sent at
//     t0 + i·5 ms whatever the earlier ones did): the time from sending one to its HTTP answer (the ack),
//     p50 and p99; the answers posted to response_url are then awaited, all of them.
// (b) Throughput at full load, closed loop with CONCURRENCY requests in flight: ours and the bare app in
//     alternate rounds (ours, bare, ours, …), ROUNDS each; the medians and ours / bare. Ours is the web
//     process: its worker is paused (SIGSTOP) during the round, standing in for workers on other machines,
//     and answers the round's commands once resumed (all of them are awaited).
// (c) Ours again, ROUNDS rounds, with the worker answering on the same cores meanwhile.
// `-- --duration S`: (a) lasts S seconds (default 30) and each round of (b) S/6 (at least 1 s).
// Uses REDIS_URL if set, else a private redis-server; every key is under a random namespace, deleted at the
// end. Last line: one JSON object of the figures.
// The parts live beside this file: config.ts (the settings and `--duration`), children.ts (the fake, server and
// worker children, which are this file again with `--role=`), ipc.ts (spawning and asking them), setup.ts (Redis,
// the run and the children, and the tear-down), load.ts (signed commands, open and closed loop), measure.ts (CPU
// and the answers at response_url), warm-up.ts, open-phase.ts (a) and closed-phase.ts (b, c), stats.ts and
// report.ts (the figures and their printing).
import { fakeChild, serverChild, workerChild } from './children.ts';
import { closedPhase } from './closed-phase.ts';
import { durationArg } from './config.ts';
import { ask, type Message } from './ipc.ts';
import { Answers } from './measure.ts';
import { openPhase } from './open-phase.ts';
import { report } from './report.ts';
import { saveRun, setUp, startChildren, tearDown } from './setup.ts';
import { load } from './stats.ts';
import { settle, warmUp } from './warm-up.ts';

async function main() {
  const duration = durationArg();
  const roundMs = Math.max(1000, Math.round((duration * 1000) / 6));
  const loadBefore = load();
  const bench = await setUp();

  try {
    await saveRun(bench);
    const children = await startChildren(bench);
    const answers = new Answers(children.fakeProcess);
    await settle(bench);
    const beforeA = await warmUp(children, answers, roundMs);
    const open = await openPhase(children, answers, duration, beforeA);
    const closed = await closedPhase(children, answers, roundMs);
    const serverLogged = await ask<Message>(children.serverProcess, 'logged', { type: 'logged' });
    report({ duration, roundMs, loadBefore }, open, closed, serverLogged);
    const allIn = open.answered === open.acks && closed.final.statusCards + closed.final.otherAnswers >= answers.expected;
    if (open.non200 > 0 || closed.failedB > 0 || !allIn || open.otherAnswersA > 0 || Number(serverLogged['error']) > 0) process.exitCode = 1;
  } finally {
    await tearDown(bench);
  }
}

const role = process.argv.find((a) => a.startsWith('--role='))?.slice('--role='.length);
const entry = role === 'fake' ? fakeChild : role === 'server' ? serverChild : role === 'worker' ? workerChild : main;
// On success everything is closed and Node exits by itself; on failure a connection may still be open.
entry().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
