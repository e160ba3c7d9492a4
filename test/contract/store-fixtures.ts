// What the store contract suites share: the teams, the people, reply builders, and one describe per store.
import { afterEach, beforeEach, describe } from 'vitest';
import type { ReplyToRecord, Run, TeamRef } from '../../src/app/ports.ts';
import type { Respondent } from '../../src/domain/replies/reply.ts';
import { STORES, type StoreUnderTest } from '../support/stores.ts';

/** A team id with the characters that could break a key: `:`, `@`, and braces that would end a hash tag. */
export const TEAM: TeamRef = { tenant: 'tenant-1', team: '19:abc{weird}@thread.tacv2' };
export const OTHER: TeamRef = { tenant: 'tenant-1', team: 'other-team' };
export const anna: Respondent = { userId: 'anna', platform: 'teams', platformUserId: '29:anna-aad' };
export const bo: Respondent = { userId: 'bo', platform: 'slack', platformUserId: 'U0BO' };

export function reply(overrides: Partial<ReplyToRecord> = {}): ReplyToRecord {
  return {
    occurrenceId: 'tema-1-1',
    respondent: anna,
    answers: { outcome: 'answered', values: { legestemninger: 'Rolig leg i puderummet', stoette: 'Jeg venter' } },
    at: '2026-09-14T10:15:00.000Z',
    anonymous: false,
    day: '2026-09-14',
    ...overrides,
  };
}

export const anonymous = (respondent = anna, values: Record<string, string> = { tryghed: '4' }) =>
  reply({ occurrenceId: 'spoergeskema-1', respondent, anonymous: true, answers: { outcome: 'answered', values } });

export function run(members: Run['members'], overrides: Partial<Run> = {}): Run {
  return { team: TEAM, programmeId: 'odense-science-boernehoejde', start: '2026-08-10', settings: {}, timeZone: 'Europe/Copenhagen', country: 'DK', locale: 'da', active: true, members, ...overrides };
}

/** One describe per store implementation, each test on a store of its own (its own Redis namespace or file). */
export function eachStore(port: string, body: (subject: () => StoreUnderTest) => void) {
  describe.each(STORES)(`${port}: %s`, (_name, factory) => {
    let subject: StoreUnderTest;
    beforeEach(async () => {
      subject = await factory();
    });
    afterEach(() => subject.cleanup());
    body(() => subject);
  });
}
