import type { CardName, ViewModel } from './view-models.ts';
import { ROLES } from '../domain/programme/schema.ts';
import type { Format, Params } from './strings.ts';
import { type Deriver, paramsOf, shownAnswers } from './derive-parts.ts';
import { overviewDerivers } from './derive-overviews.ts';

/**
 * What a template needs beyond the view model: numbers worked out (participation, bars),
 * per-item strings, and the parameters the card's messages are formatted with. Pure.
 */

/** Free-text answers shown per summary item before "… and N more" and a button to the rest. */
export const ANSWERS_SHOWN = 10;
const BAR_CELLS = 10;

/** "▰▰▰▰▰▰▱▱▱▱": a bar a person reads at a glance, in any client and in plain text. */
export function bar(part: number, whole: number): string {
  const filled = whole === 0 ? 0 : Math.round((Math.min(part, whole) / whole) * BAR_CELLS);
  return '▰'.repeat(filled) + '▱'.repeat(BAR_CELLS - filled);
}

const derivers: { [N in CardName]?: Deriver<N> } = {
  ...overviewDerivers,
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
};

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}

/** The data a card's template is expanded with: the view model, derived values and `t`, its strings. */
export function templateData<N extends CardName>(name: N, vm: ViewModel<N>, format: Format, messages: (params: Params) => Record<string, string>): Record<string, unknown> {
  const derive = derivers[name] as Deriver<N> | undefined;
  const extra = derive?.(vm, format) ?? {};
  return { card: name, ...vm, ...extra.data, t: messages({ ...paramsOf(vm), ...extra.params }) };
}
