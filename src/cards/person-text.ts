import type { CardName, ViewModel } from './view-models.ts';

/**
 * Text written by people is shown as text, never as formatting: answers, notes, a leader's
 * questions, draft sections and plans, the themes drawn from answers, and names that come from a
 * directory or a team (a Slack display name is whatever its owner typed). Without this an
 * anonymous answer "[Klik her](https://evil.example/login)" became a link in the channel summary.
 *
 * How, and why this way rather than escaping the Markdown:
 * - Teams renders Markdown in a TextBlock, and in a FactSet's titles and values (the official
 *   renderer draws those as TextBlocks). Backslash escapes are no fix: Teams' clients disagree on
 *   them (microsoft/AdaptiveCards#5590, #5758, #7474 — mobile showed the backslashes, or formatted
 *   anyway), and our browser renderers (gallery, playground) ignore them. A TextRun in a
 *   RichTextBlock is never Markdown in any client, so a person's words are put in TextRuns.
 * - Which words are a person's is known only here, from the view model; a template, ours or a
 *   programme's own, may put them anywhere, even inside a message ("Velkommen, {teamName}!"). So
 *   the person's strings are marked before the template is expanded (`markPersonText`), and the
 *   expanded card is rewritten by adaptive/literal.ts: a TextBlock or FactSet holding a mark becomes
 *   RichTextBlocks, the programme's own words around it keeping their bold, and every mark is
 *   removed. Templates need not know (summary.json does not), and a programme's own template is
 *   covered too.
 * - Slack's blocks are made from that rewritten card (slack/from-adaptive.ts): a TextRun there is
 *   literal text too, sent as mrkdwn only when nothing in it can format (`&`, `<`, `>` escaped,
 *   `verbatim` so no bare "@channel" or URL is parsed) and otherwise as plain_text.
 *
 * Programme text (titles, questions, tasks, from the programme's YAML) and the locale messages are
 * written by the programme's authors and keep their Markdown.
 */

/** Unicode private-use characters: they open and close a person's words inside a string. */
export const OPEN = '\uE000';
export const CLOSE = '\uE001';
const MARKS = /[\uE000\uE001]/g;

/** A person's words, marked; "" stays "" (a template tests for it). */
export function mark(text: string): string {
  const clean = unmark(text);
  return clean === '' ? clean : `${OPEN}${clean}${CLOSE}`;
}

export function unmark(text: string): string {
  return text.replace(MARKS, '');
}

export function hasMarks(text: string): boolean {
  return text.includes(OPEN) || text.includes(CLOSE);
}

/** Every string in a value with its marks removed (a value without any comes back as it was). */
export function unmarkAll<T>(value: T): T {
  if (typeof value === 'string') return unmark(value) as T;
  if (Array.isArray(value)) return value.map(unmarkAll) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unmarkAll(v)])) as T;
  return value;
}

export interface Segment {
  text: string;
  /** A person's words: literal text. Otherwise the programme's own, in its Markdown. */
  person: boolean;
}

/**
 * A marked string in its parts. A close without an open (a template cut the string) makes
 * everything before it a person's: when in doubt, text is literal.
 */
export function segments(text: string): Segment[] {
  const out: Segment[] = [];
  let person = false;
  for (const part of text.split(/([\uE000\uE001])/)) {
    if (part === OPEN) person = true;
    else if (part === CLOSE) {
      if (!person) for (const segment of out) segment.person = true;
      person = false;
    } else if (part !== '') out.push({ text: part, person });
  }
  return out;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
type Answer = { label: string; value: string; kind: 'text' | 'date' };
/** A date answer stays a date (the card shows it in the reader's language); any other answer is the person's. */
const markAnswer = <A extends Answer>(a: A): A => (a.kind === 'date' && ISO_DATE.test(a.value) ? a : { ...a, value: mark(a.value) });
const markValue = <F extends { value?: string | undefined }>(f: F): F => (f.value === undefined ? f : { ...f, value: mark(f.value) });

type Marker<N extends CardName> = (vm: ViewModel<N>) => ViewModel<N>;

/**
 * Where each card carries a person's words. A question's label, a title, a programme's text are
 * the programme's; the cards not named here show no person's words.
 */
const PERSON_TEXT: { [N in CardName]?: Marker<N> } = {
  // The leader's own questions, posted to the team's channel.
  'sparring-agenda': (vm) => ({ ...vm, leaderQuestions: vm.leaderQuestions.map(mark) }),
  // The guide's name comes from the directory; the fields hold the leader's saved answers.
  'pre-visit-form': (vm) => ({ ...vm, guideName: mark(vm.guideName), fields: vm.fields.map(markValue) }),
  'pre-visit-sent': (vm) => ({ ...vm, guideName: mark(vm.guideName), ...(vm.byName === undefined ? {} : { byName: mark(vm.byName) }), answers: vm.answers.map(markAnswer) }),
  // An address someone typed, and the mail server's own words.
  'mail-failed': (vm) => ({ ...vm, to: mark(vm.to), reason: mark(vm.reason) }),
  // I DO ART: the draft answer of each section.
  // The consultant's comment and the names of those who saved a version.
  'ido-art-draft': (vm) => ({
    ...vm,
    sections: vm.sections.map(markValue),
    ...(vm.comment === undefined ? {} : { comment: mark(vm.comment) }),
    versions: vm.versions.map((v) => (v.by === undefined ? v : { ...v, by: mark(v.by) })),
  }),
  // A document as its authors wrote it, and their names.
  document: (vm) => ({
    ...vm,
    ...(vm.by === undefined ? {} : { by: mark(vm.by) }),
    fields: vm.fields.map((f) => ({ ...f, value: mark(f.value) })),
    history: vm.history.map((h) => (h.by === undefined ? h : { ...h, by: mark(h.by) })),
  }),
  // The handleplan's tiltag as the school wrote them.
  'learning-conversation': (vm) => ({ ...vm, tiltag: vm.tiltag.map((t) => ({ ...t, value: mark(t.value) })) }),
  'action-plan': (vm) => ({ ...vm, fields: vm.fields.map(markValue) }),
  // The written answers and the themes drawn from them.
  summary: (vm) => ({ ...vm, themes: vm.themes.map(mark), items: vm.items.map((item) => ({ ...item, answers: item.answers.map(mark) })) }),
  // The reply itself: an answer, a note, a plan.
  answered: (vm) => ({ ...vm, answers: vm.answers.map(markAnswer) }),
  // The team's name, as its members named it.
  welcome: (vm) => ({ ...vm, ...(vm.teamName === undefined ? {} : { teamName: mark(vm.teamName) }) }),
  // The team's and the members' names; a problem's detail can be what the person typed (a time zone).
  'team-setup': (vm) => ({
    ...vm,
    ...(vm.teamName === undefined ? {} : { teamName: mark(vm.teamName) }),
    members: vm.members.map((m) => ({ ...m, name: mark(m.name) })),
    problems: vm.problems.map((p) => (p.detail === undefined ? p : { ...p, detail: mark(p.detail) })),
  }),
  // The members' names.
  hours: (vm) => ({ ...vm, ...(vm.team ? { team: { ...vm.team, people: vm.team.people.map((p) => ({ ...p, name: mark(p.name) })) } } : {}) }),
  'hours-warning': (vm) => ({ ...vm, people: vm.people.map((p) => ({ ...p, name: mark(p.name) })) }),
  // The person's own latest answers.
  home: (vm) => ({ ...vm, answers: vm.answers.map((a) => ({ ...a, answers: a.answers.map(markAnswer) })) }),
};

/** The view model with every person's string marked (and any mark a string already had removed first). */
export function markPersonText<N extends CardName>(name: N, vm: ViewModel<N>): ViewModel<N> {
  const clean = unmarkAll(vm);
  const marker = PERSON_TEXT[name] as Marker<N> | undefined;
  return marker ? marker(clean) : clean;
}
