// The app's dependencies as the mail tests use them: the embedded store in memory, a given outbox, one
// programme, a fake clock and a recording logger; mail can leave.
import type { AppDeps } from '../../src/app/context.ts';
import type { Outbox, OutboxRecords } from '../../src/app/ports.ts';
import type { Programme } from '../../src/domain/programme/schema.ts';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.ts';
import { fakeClock, memoryLogger } from './fakes.ts';
import { countingRandom } from './stores.ts';

export function mailingAppDeps(outbox: Outbox & OutboxRecords, programme: Programme, at: string) {
  return {
    store: new EmbeddedStore(undefined, countingRandom()),
    outbox,
    programmes: new Map([[programme.id, programme]]),
    clock: fakeClock(at),
    random: countingRandom(),
    logger: memoryLogger(),
    canMail: true,
  } satisfies AppDeps;
}
