// The children: each reports `ready` over IPC, answers the parent's messages, and closes on `stop`.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setPriority } from 'node:os';
import { App, ExpressReceiver, LogLevel } from '@slack/bolt';
import type { Logger } from '../../src/app/ports.ts';
import { startServer } from '../../src/compose/server.ts';
import { loadConfig } from '../../src/config.ts';
import { startFakeSlackApi } from '../../test/support/fake-slack-api.ts';
import { PROGRAMME_TITLE, SECRET, WORKER_NICE } from './config.ts';
import type { Message } from './ipc.ts';

export interface FakeCounts {
  /** Ephemeral answers at response_url that are the status card. */
  statusCards: number;
  /** Any other post at response_url (an error card, say). */
  otherAnswers: number;
  /** Web API calls (the scheduler's posts). */
  apiCalls: number;
}

/** The fake Slack Web API and response_url, counting what arrives and forgetting the bodies (memory). */
export async function fakeChild() {
  // The parent gone (it failed): nothing left to serve.
  process.once('disconnect', () => process.exit(0));
  const fake = await startFakeSlackApi();
  const counts: FakeCounts = { statusCards: 0, otherAnswers: 0, apiCalls: 0 };
  process.on('message', async (message: Message) => {
    if (message.type === 'count') {
      for (const call of fake.calls) {
        if (call.method !== 'response_url') counts.apiCalls++;
        else if (call.body['response_type'] === 'ephemeral' && JSON.stringify(call.body).includes(PROGRAMME_TITLE)) counts.statusCards++;
        else counts.otherAnswers++;
      }
      fake.calls.length = 0;
      process.send!({ type: 'counts', ...counts });
    } else if (message.type === 'stop') {
      await fake.close();
      process.send!({ type: 'stopped' });
      process.disconnect();
    }
  });
  process.send!({ type: 'ready', url: fake.url });
}

/**
 * Our command workers (startServer with PROCESS_ROLE=worker): they answer the commands the web process
 * queued. At nice WORKER_NICE (19), standing in for the other replicas a deployment answers on: the acks come first.
 */
export async function workerChild() {
  process.once('disconnect', () => process.exit(0));
  setPriority(WORKER_NICE);
  const env = JSON.parse(process.env['BENCH_ACK_ENV'] ?? '{}') as Record<string, string>;
  const silent: Logger = { info() {}, warn() {}, error() {} };
  const server = await startServer(loadConfig({ ...env, PROCESS_ROLE: 'worker' }), silent);
  process.on('message', async (message: Message) => {
    if (message.type === 'cpu') process.send!({ type: 'cpu', ...process.cpuUsage() });
    else if (message.type === 'stop') {
      await server.stop();
      process.send!({ type: 'stopped' });
      process.disconnect();
    }
  });
  process.send!({ type: 'ready' });
}

/** Our server (startServer with PROCESS_ROLE=web: it acks and queues) and the bare Bolt app, each on its own port of plain node http. */
export async function serverChild() {
  process.once('disconnect', () => process.exit(0));
  const env = JSON.parse(process.env['BENCH_ACK_ENV'] ?? '{}') as Record<string, string>;
  const logged = { error: 0, warn: 0, samples: [] as string[] };
  const note = (level: 'error' | 'warn', message: string) => {
    logged[level]++;
    if (logged.samples.length < 5) logged.samples.push(`${level}: ${message}`);
  };
  const logger: Logger = { info() {}, warn: (_fields, message) => note('warn', message), error: (_fields, message) => note('error', message) };
  const server = await startServer(loadConfig({ ...env, PROCESS_ROLE: 'web' }), logger);

  const receiver = new ExpressReceiver({ signingSecret: SECRET, endpoints: '/slack/events', logLevel: LogLevel.ERROR });
  const bare = new App({ receiver, logLevel: LogLevel.ERROR, authorize: async () => ({ botToken: 'xoxb-bench', botId: 'B1', botUserId: 'U0' }) });
  bare.command('/sparring', async ({ ack }) => {
    await ack();
  });
  const bareServer = createServer(receiver.app);
  await new Promise<void>((resolve) => bareServer.listen(0, '127.0.0.1', resolve));
  const bareUrl = `http://127.0.0.1:${(bareServer.address() as AddressInfo).port}/`;

  process.on('message', async (message: Message) => {
    if (message.type === 'logged') process.send!({ type: 'logged', ...logged });
    else if (message.type === 'cpu') process.send!({ type: 'cpu', ...process.cpuUsage() });
    else if (message.type === 'stop') {
      await server.stop();
      bareServer.closeAllConnections();
      await new Promise<void>((resolve) => bareServer.close(() => resolve()));
      process.send!({ type: 'stopped', ...logged });
      process.disconnect();
    }
  });
  process.send!({ type: 'ready', ours: server.url, bare: bareUrl });
}
