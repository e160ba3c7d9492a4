// One month of a programme as each person meets it: every card delivered between two dates, by person.
// Not part of the repo: the closing note's figures. Usage: npx tsx month.ts <programme> <start> <from> <to>
import { DateTime } from 'luxon';
import { runSends } from '/work/main/src/app/occurrence-card.ts';
import { planOf } from '/work/main/src/app/run-plan.ts';
import { deliverDue } from '/work/main/src/delivery/deliver.ts';
import { PLATFORM_LIMITS } from '/work/main/src/delivery/limits.ts';
import { loadProgrammes } from '/work/main/src/programmes/load.ts';
import { tick } from '/work/main/src/scheduler/tick.ts';
import { EmbeddedStore } from '/work/main/src/store/embedded/embedded-store.ts';
import { MemoryClaims, MemoryOutbox, MemoryRateLimiter } from '/work/main/src/store/embedded/memory-delivery.ts';
import { runDigests } from '/work/main/src/app/monthly-digest.ts';
import { handleCardAction } from '/work/main/src/app/actions/handle-card-action.ts';

const [programmeId, start, from, to] = process.argv.slice(2) as [string, string, string, string];
const programmes = loadProgrammes();
const programme = programmes.get(programmeId)!;
let now = new Date(`${from}T00:00:00Z`);
const clock = { now: () => now };
let n = 0;
const random = { id: () => `id-${++n}`, next: () => 0.5 };
const logger = { info() {}, warn() {}, error() {} };
const store = new EmbeddedStore(undefined, random);
const team = { tenant: 't', team: 'x' };
const members = [
  { userId: 'leder', name: 'Lene', roles: ['leader' as const] },
  { userId: 'staff', name: 'Søren', roles: ['staff' as const] },
  { userId: 'konsulent', name: 'Karin', roles: ['consultant' as const] },
  { userId: 'vejleder', name: 'Mette', roles: ['guide' as const], email: 'mette@example.org' },
  { userId: 'chef', name: 'Jens', roles: ['chief' as const] },
];
const run = { team, programmeId, start, settings: {}, timeZone: 'Europe/Copenhagen', country: 'DK' as const, locale: 'da' as const, active: true, members, channelKey: 'channel' };
await store.saveRun(run);
for (const m of [...members.map((m) => m.userId), 'channel']) await store.saveConversation(team, { platform: 'teams', key: m, reference: {} });
const outbox = new MemoryOutbox();
const claims = new MemoryClaims();
const got: Array<{ to: string; at: string; card: string; title: string }> = [];
const channel = {
  platform: 'teams' as const,
  async send(to: { key: string }, message: { card: Record<string, unknown>; text: string }) {
    got.push({ to: to.key, at: now.toISOString(), card: '', title: message.text.slice(0, 90) });
    return { messageId: `m-${got.length}` };
  },
  async update() {},
};
const mailer = { async send(mail: { to: string; subject: string }) { got.push({ to: `mail:${mail.to}`, at: now.toISOString(), card: 'mail', title: mail.subject }); return { messageId: 'x' }; } };
const plan = planOf(run, programme);
const times = [...new Set([...runSends(run, programme, plan).map((s) => s.at), ...runDigests(run, programme, plan).map((d) => d.at), ...plan.occurrences.map((o) => o.end)])]
  .filter((t) => t >= `${from}T00:00:00Z` && t < `${to}T00:00:00Z`)
  .sort();
const deps = { store, outbox, claims, programmes, clock, random, logger, owner: 'r', canMail: true };
const actions = JSON.parse(process.argv[6] ?? '[]') as Array<{ after: string; as: string; card: string; verb: string; activity: string; inputs: Record<string, string>; plusMinutes?: number }>;
const done = new Set<number>();
const actionTimes = actions.map((a) => {
  const o = plan.occurrences.find((x) => x.activityId === a.activity)!;
  const send = runSends(run, programme, plan).find((x) => x.key === o.id)!;
  return new Date(Date.parse(send.at) + (a.plusMinutes ?? 60) * 60_000).toISOString();
});
const allTimes = [...new Set([...times, ...actionTimes.filter((t) => t >= `${from}T00:00:00Z` && t < `${to}T00:00:00Z`)])].sort();
for (const t of allTimes) {
  now = new Date(t);
  for (const [i, a] of actions.entries()) {
    if (done.has(i) || actionTimes[i]! > t) continue;
    done.add(i);
    const o = plan.occurrences.find((x) => x.activityId === a.activity)!;
    const reply = await handleCardAction(deps as never, { team, user: { userId: a.as, platform: 'teams', platformUserId: a.as } }, { verb: a.verb, data: { card: a.card, ref: { programmeId, activityId: o.activityId, occurrenceId: o.id } }, inputs: a.inputs });
    got.push({ to: a.as, at: now.toISOString(), card: 'reply', title: `(svar på klik ${a.verb}) ${JSON.stringify(reply).match(/"outcome":"(\w+)"|"code":"(\w+)"/)?.[0] ?? reply.card}` });
  }
  await tick(deps);
  await deliverDue({ store, outbox, clock, random, logger, limiter: new MemoryRateLimiter(PLATFORM_LIMITS), channels: { teams: channel }, mailer }, { concurrency: 4, leaseMs: 30_000, maxAttempts: 3, backoffMs: 1000 });
}
const byPerson = new Map<string, string[]>();
for (const g of got) {
  const day = DateTime.fromISO(g.at, { zone: 'Europe/Copenhagen' }).toFormat('dd/LL HH:mm');
  byPerson.set(g.to, [...(byPerson.get(g.to) ?? []), `${day} ${g.title}`]);
}
for (const [who, lines] of byPerson) {
  console.log(`\n## ${who} (${lines.length})`);
  // Group identical titles (the daily øvebane) to keep the list readable.
  const counts = new Map<string, number>();
  for (const l of lines) counts.set(l.slice(12), (counts.get(l.slice(12)) ?? 0) + 1);
  for (const [title, c] of counts) console.log(`${c > 1 ? `${c}× ` : ''}${title}`);
}
