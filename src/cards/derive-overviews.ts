import { type Deriver, shownAnswers } from './derive-parts.ts';
import type { CardName } from './view-models.ts';

/**
 * The derived values of the overviews a person opens: the Slack home, the monthly digest, hours, reminder
 * settings and status. Each shows at most so much of a list, with how many more there are. Pure.
 */

/** The most a home card shows of each list: an overview, and Slack's home view holds 100 blocks. */
const HOME_SHOWN = { open: 10, next: 10, answers: 5, answersPerReply: 10 } as const;

/** The most a monthly digest lists of each: an overview a leader reads at a glance, well inside Slack's 50 blocks. */
const DIGEST_SHOWN = { participation: 15, forms: 10, roles: 10, next: 8 } as const;

export const overviewDerivers: { [N in CardName]?: Deriver<N> } = {
  home: (vm, format) => {
    // An overview: at most this much, whatever the data holds (the app sends less), with how many more prompts wait.
    const moreOpen = vm.moreOpen + Math.max(0, vm.open.length - HOME_SHOWN.open);
    return {
      params: { moreOpen },
      data: {
        programmeTitle: vm.programmeTitle ?? null,
        moreOpen,
        open: vm.open.slice(0, HOME_SHOWN.open).map((p) => ({
          card: p.card,
          verb: p.verb,
          ref: p.ref,
          title: p.title,
          when: p.closesAt ? format('each.sentUntil', { at: new Date(p.sentAt), closesAt: new Date(p.closesAt) }) : format('each.sent', { at: new Date(p.sentAt) }),
          button: format('each.button', { verb: p.verb }),
        })),
        next: vm.next.slice(0, HOME_SHOWN.next).map((e) => ({ title: e.title, when: format('each.when', { at: new Date(e.at) }) })),
        answers: vm.answers.slice(0, HOME_SHOWN.answers).map((a) => ({
          title: a.title,
          when: format('each.answered', { at: new Date(a.at), outcome: a.outcome }),
          answers: shownAnswers(a.answers.slice(0, HOME_SHOWN.answersPerReply), format),
        })),
      },
    };
  },

  digest: (vm, format) => {
    const [year, month] = vm.month.split('-').map(Number);
    // The month after the one covered, mid-month at noon UTC: the same month in every zone.
    const following = new Date(Date.UTC(year!, month!, 15, 12));
    const more = (count: number) => (count > 0 ? format('common.more', { count }) : '');
    const moreNext = vm.moreNext + Math.max(0, vm.next.length - DIGEST_SHOWN.next);
    return {
      params: { following, moreNext },
      data: {
        participationRows: vm.participation
          .slice(0, DIGEST_SHOWN.participation)
          .map((p) => ({ title: p.title, value: format('each.participation', { answered: p.answered, invited: p.invited, times: p.times }) })),
        moreParticipation: more(vm.participation.length - DIGEST_SHOWN.participation),
        formRows: vm.openForms.slice(0, DIGEST_SHOWN.forms).map((f) => ({ title: f.title, value: f.dueAt ? format('each.due', { dueAt: new Date(f.dueAt) }) : format('each.noDue') })),
        moreForms: more(vm.openForms.length - DIGEST_SHOWN.forms),
        hourRows: vm.hours.byRole.slice(0, DIGEST_SHOWN.roles).map((h) => ({ title: format('each.role', { role: h.role }), value: format('each.hours', { hours: h.hours }) })),
        nextRows: vm.next.slice(0, DIGEST_SHOWN.next).map((n) => ({ title: n.title, value: format('each.when', { at: new Date(n.at), times: n.times }) })),
        moreNext,
      },
    };
  },

  hours: (vm, format) => {
    const left = (used: number, budget: number) => ({ used, budget, left: hoursDiff(budget, used), over: hoursDiff(used, budget) });
    const ofBudget = (used: number, budget: number | undefined, keys: [string, string, string]) =>
      budget === undefined ? format(keys[0], { used }) : format(used > budget ? keys[2] : keys[1], left(used, budget));
    const card = vm.team?.punchCard;
    return {
      data: {
        ownText: ofBudget(vm.used, vm.budget, ['lines.own', 'lines.ownOfBudget', 'lines.ownOver']),
        isOver: vm.budget !== undefined && vm.used > vm.budget,
        // The field shows the figure as the reader writes it ("1,5"), and is read back either way.
        bookings: vm.bookings.map((b) => ({
          id: b.id,
          label: b.planned === undefined ? format('each.booking', { title: b.title, at: new Date(b.at) }) : format('each.bookingCorrected', { title: b.title, at: new Date(b.at), planned: b.planned }),
          value: format('each.number', { n: b.hours }),
        })),
        earlierText: vm.earlier ? format('lines.earlier', { count: vm.earlier.count, hours: vm.earlier.hours }) : null,
        team: vm.team ?? null,
        teamRows: (vm.team?.people ?? []).map((p) => ({ name: p.name, value: ofBudget(p.used, p.budget, ['each.person', 'each.personOfBudget', 'each.personOver']) })),
        totalText: vm.team ? format('lines.total', { total: vm.team.total }) : null,
        punchCardText: card ? format(card.used > card.budget ? 'lines.punchCardOver' : 'lines.punchCard', left(card.used, card.budget)) : null,
        punchCardOver: card ? card.used > card.budget : false,
      },
    };
  },

  'hours-warning': (vm, format) => ({
    data: {
      peopleRows: vm.people.map((p) => ({ text: format('each.person', { name: p.name, budget: p.budget, projected: p.projected, over: p.over }) })),
      punchCardText: vm.punchCard ? format('each.punchCard', { ...vm.punchCard }) : null,
    },
  }),

  'reminder-settings': (vm) => ({ params: { muted: vm.muted ? 'yes' : 'no' } }),

  status: (vm, format) => ({
    data: {
      next: vm.next ?? null,
      deadLetters: vm.deadLetters ?? null,
      late: vm.late.map((l) => ({ text: format('late', { title: l.title, dueAt: new Date(l.dueAt) }) })),
      rows: vm.rows.map((r) => ({
        title: r.title,
        value: r.done === undefined ? format('each.answered', { answered: r.answered, invited: r.invited }) : format('each.mine', { done: r.done ? 'yes' : 'no' }),
      })),
    },
  }),
};

/** `a − b` to the hundredth of an hour, never below 0. */
function hoursDiff(a: number, b: number): number {
  return Math.max(0, Math.round((a - b) * 100) / 100);
}
