// The hours rules on their own: a typed figure, what an occurrence books, a person's budget and the punch card.
import { describe, expect, it } from 'vitest';
import { bookingsFor } from '../../../src/domain/hours/booking.ts';
import { overrunsOf, personBudget, punchCardUsed } from '../../../src/domain/hours/budget.ts';
import { parseHours } from '../../../src/domain/hours/correction.ts';
import { activitiesById } from '../../../src/domain/programme/activities.ts';
import { plan, programme } from '../../support/plans.ts';

const sevu = programme('sevu-kollegial-sparring');
const stuk = programme('stuk-vejledningsforloeb');

describe('a typed figure of hours', () => {
  it.each([
    ['1,5', 1.5],
    ['1.5', 1.5],
    [' 2 ', 2],
    ['0', 0],
    ['24', 24],
    ['0,25', 0.25],
  ])('reads %j as %d', (text, hours) => expect(parseHours(text)).toBe(hours));

  it.each(['', 'to', '-1', '24,5', '25', '1,5,0', '1,555', '1e1', '0x10'])('refuses %j', (text) => expect(parseHours(text)).toBeUndefined());
});

describe('what an occurrence books', () => {
  it('books every member of its audience with their role in it, whether or not they answered', () => {
    const opstart = plan(sevu, '2026-09-07', { country: 'DK' }).occurrences[0]!;
    const members = [
      { userId: 'lene', roles: ['leader' as const] },
      { userId: 'aisha', roles: ['staff' as const] },
      { userId: 'mette', roles: ['guide' as const] },
    ];
    expect(bookingsFor(members, opstart, activitiesById(sevu).get('opstart')!)).toEqual([
      { userId: 'lene', occurrenceId: 'opstart', role: 'leader', hours: 1.5 },
      { userId: 'aisha', occurrenceId: 'opstart', role: 'staff', hours: 1.5 },
    ]);
  });
});

describe('budgets', () => {
  it('gives SEVU’s participants 13 hours and its facilitator 27, and a leader none', () => {
    expect(personBudget(sevu, ['staff'])).toBe(13);
    expect(personBudget(sevu, ['facilitator'])).toBe(27);
    expect(personBudget(sevu, ['leader'])).toBeUndefined();
  });

  it('draws each punch card session once, at the longest time booked on it', () => {
    const activityOf = (id: string) => id.split(':')[0];
    const entries = [
      { userId: 'lene', occurrenceId: 'sparring:1', hours: 1 },
      { userId: 'karin', occurrenceId: 'sparring:1', hours: 1.5 },
      { userId: 'lene', occurrenceId: 'opstart', hours: 2 },
    ];
    expect(punchCardUsed(stuk, entries, activityOf)).toBe(1.5);
  });

  it('counts what is booked and what is still to come by the occurrence, not what comes after it', () => {
    const p = plan(sevu, '2026-09-07', { country: 'DK' });
    const members = [{ userId: 'aisha', roles: ['staff' as const] }];
    const team = { programme: sevu, members, occurrences: p.occurrences, activities: activitiesById(sevu), entries: [{ userId: 'aisha', occurrenceId: 'opstart', hours: 2 }] };
    const afterOpstart = new Date(Date.parse(p.occurrences[0]!.end) + 1);
    // 2 + 4 + 2 + 4 = 12 by the third theme meeting; the last meeting makes 13.5.
    expect(overrunsOf(team, p.occurrences[3]!, afterOpstart)).toEqual([]);
    expect(overrunsOf(team, p.occurrences[4]!, afterOpstart)).toEqual([{ kind: 'person', userId: 'aisha', budget: 13, projected: 13.5, over: 0.5 }]);
  });
});
