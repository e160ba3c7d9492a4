// The load: signed slash commands over keep-alive sockets.
import { createHmac } from 'node:crypto';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { INTERVAL_MS, SECRET, STAFF, TEAM } from './config.ts';

/** Slack's signature: v0=HMAC-SHA256(secret, "v0:{timestamp}:{body}"), with the current timestamp. */
function signedHeaders(body: string): Record<string, string | number> {
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'content-length': Buffer.byteLength(body),
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': signature,
  };
}

export interface Target {
  url: URL;
  responseBase: string;
}

let sequence = 0;
function commandBody(target: Target): string {
  const n = sequence++;
  return new URLSearchParams({
    token: 'legacy',
    team_id: TEAM.tenant,
    channel_id: TEAM.team,
    channel_name: 'sparring',
    user_id: STAFF[n % STAFF.length]!,
    user_name: 'bench',
    command: '/sparring',
    text: 'status',
    response_url: `${target.responseBase}/respond/${n}`,
    trigger_id: `trigger-${n}`,
    api_app_id: 'A1',
  }).toString();
}

interface Answer {
  status: number;
  /** From sending to the end of the HTTP answer. */
  ms: number;
  sentAt: number;
  error?: string;
}

function send(target: Target, agent: Agent): Promise<Answer> {
  const body = commandBody(target);
  const headers = signedHeaders(body);
  return new Promise((resolve) => {
    const sentAt = performance.now();
    const req = request({ host: target.url.hostname, port: target.url.port, path: target.url.pathname, method: 'POST', agent, headers }, (res) => {
      res.resume();
      res.once('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - sentAt, sentAt }));
      res.once('error', (error) => resolve({ status: 0, ms: performance.now() - sentAt, sentAt, error: error.message }));
    });
    req.once('error', (error) => resolve({ status: 0, ms: performance.now() - sentAt, sentAt, error: error.message }));
    req.end(body);
  });
}

const agentFor = (sockets: number) => new Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });

/** Open loop: request i at t0 + i·interval whatever became of the earlier ones. */
export async function openLoop(target: Target, count: number) {
  const agent = agentFor(1024);
  const answers: Array<Promise<Answer>> = [];
  const lateness: number[] = [];
  const t0 = performance.now() + 20;
  let i = 0;
  while (i < count) {
    const now = performance.now();
    while (i < count && t0 + i * INTERVAL_MS <= now) {
      lateness.push(now - (t0 + i * INTERVAL_MS));
      answers.push(send(target, agent));
      i++;
    }
    if (i < count) await sleep(Math.max(0, t0 + i * INTERVAL_MS - performance.now()));
  }
  const done = await Promise.all(answers);
  agent.destroy();
  const fromSchedule = done.map((a, n) => a.sentAt + a.ms - (t0 + n * INTERVAL_MS));
  return { answers: done, lateness: lateness.sort((a, b) => a - b), fromSchedule: fromSchedule.sort((a, b) => a - b), wallMs: performance.now() - t0 };
}

/** Closed loop: `concurrency` requests in flight for `ms`; the answers that came back within it count. */
export async function closedLoop(target: Target, concurrency: number, ms: number) {
  const agent = agentFor(concurrency);
  const started = performance.now();
  const deadline = started + ms;
  let inTime = 0;
  let acked = 0;
  let failed = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      const answer = await send(target, agent);
      if (answer.status === 200) acked++;
      else failed++;
      if (answer.sentAt + answer.ms <= deadline) inTime++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
  return { rps: inTime / (ms / 1000), acked, failed };
}
