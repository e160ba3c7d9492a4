// Issue 15, point 5: each programme names its roles in its own words, and carries the seeds' content
// (Odense's leader texts and UCL's questionnaires, STUK's punch card, Skolverket's hours and methods).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { welcomeFor } from '../../../src/app/setup/members.ts';
import { validateAdaptiveCard } from '../../../src/cards/adaptive/validate.ts';
import { cardFor } from '../../../src/cards/from-activity.ts';
import { renderAdaptiveCard } from '../../../src/cards/render.ts';
import { type Activity, LOCALES, type Programme } from '../../../src/domain/programme/schema.ts';
import { aRun, ofActivity, plan, programme } from '../../support/plans.ts';
import { fakeClock } from '../../support/fakes.ts';

const ROOT = join(import.meta.dirname, '../../..');
const IDS = ['odense-science-boernehoejde', 'sevu-kollegial-sparring', 'skolverket-kollegialt-larande', 'kolding-laeringssamtale', 'stuk-vejledningsforloeb'];
const activities = (p: Programme): Activity[] => p.phases.flatMap((ph) => ph.activities);
const activity = (p: Programme, id: string) => activities(p).find((a) => a.id === id)!;
const cardText = (card: unknown) => JSON.stringify(card);

describe('roles in the programme’s own words', () => {
  it.each(IDS)('%s names every role its activities address, in all three languages', (id) => {
    const p = programme(id);
    const used = new Set(activities(p).flatMap((a) => a.audience));
    for (const role of used) {
      for (const locale of LOCALES) expect(p.roleNames?.[role]?.[locale], `${id}: ${role} (${locale})`).toBeTruthy();
    }
  });

  it('uses the seeds’ words: rektor and ledaren för det kollegiala lärandet, vejledere and intern/ekstern facilitator', () => {
    const skolverket = programme('skolverket-kollegialt-larande');
    expect(skolverket.roleNames?.leader?.sv).toBe('rektor');
    expect(skolverket.roleNames?.facilitator?.sv).toBe('ledaren för det kollegiala lärandet');
    const sevu = programme('sevu-kollegial-sparring');
    expect(sevu.roleNames?.staff?.da).toBe('vejleder');
    expect(sevu.roleNames?.facilitator?.da).toBe('intern/ekstern facilitator');
    const kolding = programme('kolding-laeringssamtale');
    expect(kolding.roleNames?.leader?.da).toContain('skoleleder');
    expect(kolding.roleNames?.consultant?.da).toContain('konsulent');
  });

  it('the welcome card says the person’s role in the programme’s words', () => {
    const skolverket = programme('skolverket-kollegialt-larande');
    const deps = { programmes: new Map([[skolverket.id, skolverket]]), clock: fakeClock('2026-08-03T08:00:00Z') };
    const run = aRun({ team: { tenant: 't', team: 'x' }, programmeId: skolverket.id, start: '2026-08-10', members: [], locale: 'sv', country: 'SE', timeZone: 'Europe/Stockholm' });
    const data = welcomeFor(deps as never, run, { userId: 'ann', roles: ['facilitator'] })!;
    expect(data).toMatchObject({ role: 'facilitator', roleName: 'ledaren för det kollegiala lärandet' });
    const card = renderAdaptiveCard('welcome', data, { locale: 'sv', timeZone: 'Europe/Stockholm' });
    expect(validateAdaptiveCard(card)).toEqual([]);
    expect(cardText(card)).toContain('Din roll i programmet: ledaren för det kollegiala lärandet');
    // A role the file does not name: the app's own words only.
    const consultant = welcomeFor(deps as never, run, { userId: 'bo', roles: ['consultant'] })!;
    expect(consultant.roleName).toBeUndefined();
    expect(cardText(renderAdaptiveCard('welcome', consultant, { locale: 'sv' }))).not.toContain('Din roll i programmet');
  });

  it('the welcome strings speak of the team’s own programme, not Odense’s', () => {
    for (const locale of LOCALES) {
      const strings = JSON.parse(readFileSync(join(ROOT, 'cards/locales', `${locale}.json`), 'utf8')) as { welcome: unknown };
      expect(JSON.stringify(strings.welcome)).not.toMatch(
        /øvebane|spørgeskema|sparringsmøde|övningsban|enkät|sparringmöte|practice track|questionnaire|sparring meeting|syv dage|sju dagar|seven days/i,
      );
    }
  });
});

describe('Odense: the leader alongside the staff, groups set in the set-up, UCL’s questionnaires', () => {
  const odense = programme('odense-science-boernehoejde');

  it('the daily leader takes part in every theme and øvebane "på lige fod med personalet"', () => {
    const practice = activities(odense).filter((a) => /^(tema|oevebane)-\d-\d$/.test(a.id));
    expect(practice).toHaveLength(18);
    for (const a of practice) expect(a.audience).toEqual(expect.arrayContaining(['staff', 'leader']));
  });

  it('asks the leader how they will keep the focus on the øvebane', () => {
    const texts = activity(odense, 'leder-refleksion').questions.map((q) => q.text.da);
    expect(texts).toContain('Hvordan vil du som leder sørge for at holde fokus på øvebanen og temaernes faglige indhold i medarbejdergruppen?');
  });

  it('holds the sparring meetings in learning communities of 3-4 by default, one to one when the set-up says so', () => {
    expect(odense.settings.find((s) => s.id === 'sparringsform')?.default).toBe('grupper');
    const groups = plan(odense, '2026-08-10', { country: 'DK' });
    expect(ofActivity(groups, 'sparringsmoede').length).toBeGreaterThan(0);
    expect(ofActivity(groups, 'sparringsmoede-individuelt')).toEqual([]);
    expect(activity(odense, 'sparringsmoede').groupSize).toEqual({ min: 3, max: 4 });
    const single = plan(odense, '2026-08-10', { country: 'DK' }, { sparringsform: 'individuelt' });
    expect(ofActivity(single, 'sparringsmoede')).toEqual([]);
    expect(ofActivity(single, 'sparringsmoede-individuelt').length).toBe(ofActivity(groups, 'sparringsmoede').length);
    expect(activity(odense, 'sparringsmoede-individuelt').groupSize).toEqual({ min: 1, max: 1 });
  });

  it('reminds the staff of UCL’s three questionnaires, sent by UCL by e-mail, and never presents its own pulse as UCL’s', () => {
    const p = plan(odense, '2026-08-10', { country: 'DK' });
    const reminders = p.occurrences.filter((o) => o.activityId.startsWith('ucl-spoergeskema-'));
    expect(reminders.map((o) => o.kind)).toEqual(['task', 'task', 'task']);
    expect(reminders.map((o) => o.start.slice(0, 7))).toEqual(['2026-08', '2027-01', '2027-06']);
    for (const o of reminders) {
      const a = activity(odense, o.activityId);
      expect(a.text?.da).toContain('UCL sender spørgeskemaet til din arbejdsmail');
      expect(a.text?.da).toContain('svarfrist på 14 dage');
      expect(a.link).toBeUndefined();
    }
    for (const q of activities(odense).filter((a) => a.kind === 'questionnaire')) {
      expect(q.title.da).toContain('Teamets egen puls');
      expect(q.title.da).toContain("ikke UCL's spørgeskema");
      expect(q.text?.da).toContain("ikke UCL's forskningsspørgeskema");
    }
  });

  it('shows the link a team sets for UCL’s questionnaire on the reminder', () => {
    const withLink: Programme = {
      ...odense,
      phases: odense.phases.map((ph) => ({
        ...ph,
        activities: ph.activities.map((a) =>
          a.id === 'ucl-spoergeskema-1' ? { ...a, link: { url: 'https://ucl.example/skema', label: { da: 'Spørgeskemaet', sv: 'Enkäten', en: 'The questionnaire' } } } : a,
        ),
      })),
    };
    const p = plan(withLink, '2026-08-10', { country: 'DK' });
    const occurrence = ofActivity(p, 'ucl-spoergeskema-1')[0]!;
    const card = cardFor({ programme: withLink, activity: activity(withLink, 'ucl-spoergeskema-1'), occurrence, locale: 'da', timeZone: 'Europe/Copenhagen' })!;
    expect(card.name).toBe('task');
    expect((card.data as { text?: string }).text).toContain('Spørgeskemaet: https://ucl.example/skema');
  });
});

describe('Skolverket: the hours, the methods and what the leader needs', () => {
  const skolverket = programme('skolverket-kollegialt-larande');

  it('tells the rector the hours of each module, what they are made of, and the methods the seed names', () => {
    const text = activity(skolverket, 'rektor-planering').text!.sv;
    for (const words of ['minst 30 timmar', 'träffas sexton gånger', 'undervisningsaktiviteterna', 'minst 21 timmar', 'träffas tolv', 'ledarhandlingarna', '90 minuter']) expect(text).toContain(words);
    for (const method of ['learning study', 'lesson study', 'auskultation med återkoppling', 'kollegial grupphandledning']) expect(text).toContain(method);
  });

  it('gives the rector and the leader of the collegial learning all seven points of "Ledaren … behöver"', () => {
    const checkIn = activity(skolverket, 'avstamning-ledare');
    expect(checkIn.audience).toEqual(['leader', 'facilitator']);
    expect(checkIn.agenda.map((a) => a.sv)).toEqual([
      'förankra kompetensutvecklingens syfte och modellens utformning i kollegiet',
      'vara insatt i och vägleda deltagarna genom materialet',
      'främja ett tryggt och tillåtande samtalsklimat där alla får komma till tals utan att värderas eller tillrättavisas',
      'använda olika samtalsmodeller när det är lämpligt för att stödja lärandet',
      'främja fördjupade samtal och motverka ytliga redovisningar av genomförda aktiviteter',
      'bidra till utvecklandet av ett gemensamt yrkesspråk och ett professionellt förhållningssätt',
      'ha regelbundna avstämningsmöten med rektor',
    ]);
    const p = plan(skolverket, '2026-08-10', { country: 'SE' });
    const first = ofActivity(p, 'del')[0]!;
    expect(ofActivity(p, 'avstamning-ledare')[0]!.start < first.start).toBe(true);
  });
});
