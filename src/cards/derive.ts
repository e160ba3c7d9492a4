import type { CardName, ViewModel } from './view-models.ts';
import { ROLES } from '../domain/programme/schema.ts';
import type { Format, Params } from './strings.ts';

/**
 * What a template needs beyond the view model: numbers worked out (participation, bars),
 * per-item strings, and the parameters the card's messages are formatted with. Pure.
 */

/** Free-text answers shown per summary item before "… and N more" and a button to the rest. */
export const ANSWERS_SHOWN = 10;
const BAR_CELLS = 10;
/** The most a home card shows of each list: an overview, and Slack's home view holds 100 blocks. */
export const HOME_SHOWN = { open: 10, next: 10, answers: 5, answersPerReply: 10 } as const;
/** The most a monthly digest lists of each: an overview a leader reads at a glance, well inside Slack's 50 blocks. */
export const DIGEST_SHOWN = { participation: 15, forms: 10, roles: 10, next: 8 } as const;

/** "▰▰▰▰▰▰▱▱▱▱": a bar a person reads at a glance, in any client and in plain text. */
export function bar(part: number, whole: number): string {
  const filled = whole === 0 ? 0 : Math.round((Math.min(part, whole) / whole) * BAR_CELLS);
  return '▰'.repeat(filled) + '▱'.repeat(BAR_CELLS - filled);
}

/** The view model's scalars as message parameters (`minutes_min`), ISO instants as dates. */
export function paramsOf(value: object, prefix = ''): Params {
  const params: Params = {};
  for (const [key, item] of Object.entries(value)) {
    const name = prefix + key;
    if (typeof item === 'string') params[name] = /^\d{4}-\d{2}-\d{2}(T.*)?$/.test(item) ? asDate(item) : item;
    else if (typeof item === 'number' || typeof item === 'boolean') params[name] = item;
    else if (Array.isArray(item)) params[`${name}_count`] = item.length;
    else if (item && typeof item === 'object') Object.assign(params, paramsOf(item, `${name}_`));
  }
  return params;
}

/** A calendar date is shown as that day wherever the team is: noon UTC is the same day in Europe. */
function asDate(iso: string): Date {
  return new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso);
}

type Extra = { data?: Record<string, unknown>; params?: Params };
type Deriver<N extends CardName> = (vm: ViewModel<N>, format: Format) => Extra;

const derivers: { [N in CardName]?: Deriver<N> } = {
  questionnaire: (vm) => {
    // A scale legend every scale item shares ("1 = helt uenig, 5 = helt enig") is shown once, above the items.
    const legends = new Set(vm.items.filter((i) => i.kind === 'scale').map((i) => i.help));
    const scaleHelp = legends.size === 1 ? [...legends][0] : undefined;
    return {
      data: {
        scaleHelp: scaleHelp ?? null,
        items: vm.items.map((item) => {
          const help = item.kind === 'scale' && item.help === scaleHelp ? undefined : item.help;
          const choices = item.kind === 'scale' ? range(item.min, item.max).map((n) => ({ title: String(n), value: String(n) })) : undefined;
          return { ...item, help: help ?? null, ...(choices ? { choices } : {}) };
        }),
      },
    };
  },

  'ido-art-draft': (vm, format) => {
    const approved = vm.status === 'approved';
    return {
      data: {
        editSections: approved ? [] : vm.sections,
        readSections: approved ? vm.sections : [],
        comment: vm.comment ?? null,
        outcome: vm.outcome ?? null,
        versionLines: vm.versions.map((v, i) => format('each.version', { n: i + 1, at: new Date(v.at), status: v.status, by: v.by ?? format('someone') })),
      },
    };
  },

  document: (vm, format) => ({
    data: {
      meetingAt: vm.meetingAt ?? null,
      savedText: format('saved', { kind: vm.kind, at: new Date(vm.at), by: vm.by ?? format('someone') }),
      fields: vm.fields.map((f, i) => ({
        ...f,
        group: f.group ?? null,
        groupStart: f.group !== undefined && f.group !== vm.fields[i - 1]?.group,
        heading: f.changed ? format('changedLabel', { label: f.label }) : f.label,
      })),
      historyLines: vm.history.map((h) =>
        format(h.changed.length === 0 ? 'each.versionFirst' : 'each.version', { n: h.version, at: new Date(h.at), changed: h.changed.join(', '), by: h.by ?? format('someone') }),
      ),
    },
  }),

  'action-plan': (vm) => ({
    data: { fields: vm.fields.map((f, i) => ({ ...f, groupStart: f.group !== undefined && f.group !== vm.fields[i - 1]?.group })) },
  }),

  summary: (vm, format) => {
    const hidden = vm.anonymous && vm.answered < vm.threshold;
    const percent = vm.invited === 0 ? 0 : Math.round((vm.answered / vm.invited) * 100);
    const items = hidden
      ? []
      : vm.items.map((item) => {
          const total = item.counts.reduce((sum, c) => sum + c.count, 0);
          return {
            ...item,
            rows: item.counts.map((c) => ({ title: String(c.value), value: `${bar(c.count, total)} ${c.count}` })),
            shown: vm.expanded ? item.answers : item.answers.slice(0, ANSWERS_SHOWN),
            more: !vm.expanded && item.answers.length > ANSWERS_SHOWN ? format('each.more', { count: item.answers.length - ANSWERS_SHOWN }) : '',
          };
        });
    const hasMore = items.some((item) => item.more !== '');
    return { data: { hidden, hasMore, bar: bar(vm.answered, vm.invited), items }, params: { percent } };
  },

  answered: (vm, format) => ({ data: { outcomeText: format(`outcomes.${vm.outcome}`), answers: shownAnswers(vm.answers, format) } }),

  'pre-visit-sent': (vm, format) => ({ data: { answers: shownAnswers(vm.answers, format), visitAt: vm.visitAt ?? null, byName: vm.byName ?? null } }),

  error: (vm, format) => ({
    data: {
      message: format(`codes.${vm.code}`),
      choicesText: vm.choices.join(', '),
      whoText: vm.who.length > 0 ? format('whoMay', { roles: vm.who.map((r) => format(`roleNames.${r}`)).join(', ') }) : null,
    },
  }),

  help: (vm, format) => ({
    data: { entries: vm.commands.map((c) => ({ usage: format(`usage.${c}`), description: format(`commands.${c}`) })) },
  }),

  welcome: (vm, format) => ({
    data: {
      roleText: vm.role ? format(`roles.${vm.role}`) : null,
      roleNameText: vm.role && vm.roleName ? format('roleName', { roleName: vm.roleName }) : null,
      pendingText: vm.pending ? format(`pending.${vm.pending}`) : null,
    },
  }),

  'team-setup': (vm, format) => {
    const choices = (keys: readonly string[], prefix: string) => keys.map((value) => ({ title: format(`${prefix}.${value}`), value }));
    return {
      data: {
        programmeValue: vm.programmeId ?? vm.programmes[0]?.id ?? '',
        countryChoices: choices(['DK', 'SE'], 'countries'),
        localeChoices: choices(['da', 'sv', 'en'], 'languages'),
        roleChoices: choices(ROLES, 'roleNames'),
        problemTexts: vm.problems.map((p) => format(`problems.${p.code}`, { detail: p.detail ?? '' })),
        whoText: format(vm.whoMay === 'leader' ? 'whoLeader' : 'who'),
        calendarKindChoices: choices(['programme', 'school', 'workplace'], 'calendarKinds'),
        sportlovChoices: ['7', '8', '9', '10'].map((week) => ({ title: format('sportlovWeek', { week }), value: week })),
        sportlovValue: String(vm.sportlovWeek),
        // What the submit carries back: the team, and where its posts go and who installed, when known.
        actionData: { card: 'team-setup', team: vm.team, ...(vm.channelId ? { channelId: vm.channelId } : {}), ...(vm.installedBy ? { installedBy: vm.installedBy } : {}) },
      },
    };
  },

  'programme-started': (vm, format) => ({ data: { entries: vm.first.map((e) => ({ title: e.title, when: format('each.when', { at: new Date(e.at) }) })) } }),

  calendar: (vm, format) => ({
    data: {
      changedText: format('changed'),
      kindText: format(`kinds.${vm.kind}`),
      sportlovText: vm.sportlovWeek === undefined ? null : format('sportlov', { week: vm.sportlovWeek }),
      closedRows: vm.closed.map((day) => ({ when: format('each.day', { at: new Date(`${day}T12:00:00Z`) }) })),
      fixedRows: vm.fixed.map((f) => ({ id: f.id, title: f.title, when: f.at.replace('T', ' ') })),
      movedRows: vm.moved.map((m) => ({ title: m.title, when: format('each.moved', { from: new Date(m.from), to: new Date(m.to) }) })),
    },
  }),

  roles: (vm, format) => ({
    data: {
      rows: vm.members.map((m) => ({ name: m.name, roleText: m.roles.map((r) => format(`roleNames.${r}`)).join(', ') })),
      changedText: vm.changed ? format('changed', { name: vm.changed.name, role: format(`roleNames.${vm.changed.role}`) }) : null,
    },
  }),

  'plan-changed': (vm, format) => ({
    data: { movedRows: vm.moved.map((m) => ({ title: m.title, when: format('each.moved', { from: new Date(m.from), to: new Date(m.to) }) })) },
  }),

  plan: (vm, format) => ({ data: { entries: vm.entries.map((e) => ({ title: e.title, when: format('each.when', { at: new Date(e.at) }) })) } }),

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

  notice: (vm, format) => ({
    data: {
      whoText: vm.roles.map((r) => format(`roles.${r}`)).join(', '),
      listHeading: format(`lists.${vm.listAs}`),
      prepare: vm.prepare ?? null,
      calendarUrl: vm.calendarUrl ?? null,
    },
    params: { minutes: Math.round((Date.parse(vm.endsAt) - Date.parse(vm.startsAt)) / 60_000) },
  }),

  reminder: (vm) => ({ data: { calendarUrl: vm.calendarUrl ?? null } }),

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

/** Answers as a person reads them: dates in their language, a blank answer as a dash. */
function shownAnswers(answers: Array<{ label: string; value: string; kind: 'text' | 'date' }>, format: Format) {
  return answers.map((a) => ({
    label: a.label,
    value: a.value === '' ? format('common.empty') : a.kind === 'date' ? format('common.each.date', { value: paramsOf({ v: a.value })['v'] }) : a.value,
  }));
}

/** `a − b` to the hundredth of an hour, never below 0. */
function hoursDiff(a: number, b: number): number {
  return Math.max(0, Math.round((a - b) * 100) / 100);
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}

/** The data a card's template is expanded with: the view model, derived values and `t`, its strings. */
export function templateData<N extends CardName>(name: N, vm: ViewModel<N>, format: Format, messages: (params: Params) => Record<string, string>): Record<string, unknown> {
  const derive = derivers[name] as Deriver<N> | undefined;
  const extra = derive?.(vm, format) ?? {};
  return { card: name, ...vm, ...extra.data, t: messages({ ...paramsOf(vm), ...extra.params }) };
}
