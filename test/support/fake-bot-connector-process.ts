// The fake Bot Connector in a process of its own, for a benchmark whose senders should not share their
// event loop with the platform they send to (Microsoft's servers are not in our process either).
// Usage: node --import tsx test/support/fake-bot-connector-process.ts '<FakeBotConnectorOptions as JSON>'
// with an IPC channel. It prints its URL on a line once listening; asked { records: true } over IPC, it
// answers with what it accepted and refused (each accepted message with only its channelData), and closes
// when the parent disconnects.
import { type FakeBotConnectorOptions, startFakeBotConnector } from './fake-bot-connector.ts';

const fake = await startFakeBotConnector(JSON.parse(process.argv[2] ?? '{}') as FakeBotConnectorOptions);
process.on('message', (message: { records?: boolean }) => {
  if (!message.records) return;
  const accepted = fake.accepted().map(({ activity, ...rest }) => ({ ...rest, activity: { channelData: activity['channelData'] } }));
  process.send?.({ accepted, rejected: fake.rejected(), duplicates: fake.duplicates(), counts: fake.counts() });
});
process.on('disconnect', () => void fake.close().then(() => process.exit(0)));
process.stdout.write(`${fake.url}\n`);
