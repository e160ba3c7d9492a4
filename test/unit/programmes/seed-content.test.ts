// The seeds' content as users meet it: questions verbatim, hours budgets, questionnaire windows.
import { describe, expect, it } from 'vitest';
import type { Activity } from '../../../src/domain/programme/schema.ts';
import { localStart, ofActivity, plan, programme } from '../../support/plans.ts';

const activities = (id: string): Activity[] => programme(id).phases.flatMap((p) => p.activities);
const activity = (programmeId: string, id: string) => activities(programmeId).find((a) => a.id === id)!;

describe('Odense: Science og teknologi i børnehøjde', () => {
  const odense = programme('odense-science-boernehoejde');

  it("the monthly sparring meeting asks Bilag A's five questions, then the learning community's three, verbatim", () => {
    const meeting = activities('odense-science-boernehoejde').find((a) => a.kind === 'sparringMeeting')!;
    expect(meeting.questions.slice(5).map((q) => q.text.da)).toEqual(['Hvad er den enkelte medarbejder optaget af?', 'Hvilke succesoplevelser har der været?', 'Og hvordan holder I fast i læringen?']);
    expect(meeting.questions.slice(0, 5).map((q) => q.text.da)).toEqual([
      'Orientering – hvordan går det? Hvad er din nuværende øvebane og er der noget som særligt optager dig for tiden?',
      'Hvilke tre ting synes du var meget interessant under det sidste delmodul?',
      'Hvordan går det med at omsætte din viden til praksis?',
      'Fortæl om en succesoplevelse, som du har haft i løbet af den sidste måned.',
      'Har du haft nogen udfordringer med forløbet? Hvordan kan jeg som din leder eller dine kollegaer støtte op om din læring?',
    ]);
    expect(meeting.durationMinutes).toBeGreaterThanOrEqual(30);
    expect(meeting.durationMinutes).toBeLessThanOrEqual(40);
    expect(meeting.timing.type).toBe('monthly');
  });

  it('runs three anonymous questionnaires in August, January and May/June, each open 14 days', () => {
    const p = plan(odense, '2026-08-10', { country: 'DK' });
    const questionnaires = p.occurrences.filter((o) => o.kind === 'questionnaire');
    expect(questionnaires.map((o) => localStart(o).toFormat('yyyy-MM'))).toEqual(['2026-08', '2027-01', '2027-05']);
    for (const q of questionnaires) {
      expect(localStart(q).plus({ days: 14 }).toISO()).toBe(localStart({ ...q, start: q.end }).toISO());
      expect(activity(odense.id, q.activityId).anonymous).toBe(true);
    }
    // The last window closes in June, as the seed's "maj/juni" says.
    expect(localStart({ ...questionnaires[2]!, start: questionnaires[2]!.end }).month).toBe(6);
  });

  it('has three evening workshops, a guidance visit between each pair, and nine themes of daily practice', () => {
    const p = plan(odense, '2026-08-10', { country: 'DK' });
    const workshops = p.occurrences.filter((o) => o.kind === 'workshop');
    const visits = p.occurrences.filter((o) => o.kind === 'guidanceVisit');
    expect(workshops).toHaveLength(3);
    expect(workshops.every((w) => localStart(w).hour >= 17)).toBe(true);
    expect(visits).toHaveLength(2);
    visits.forEach((v, i) => {
      expect(v.start > workshops[i]!.start && v.start < workshops[i + 1]!.start).toBe(true);
    });
    const practice = p.occurrences.filter((o) => o.kind === 'practicePrompt');
    expect(new Set(practice.map((o) => o.activityId)).size).toBe(9);
    expect(
      activities(odense.id)
        .filter((a) => a.kind === 'practicePrompt')
        .every((a) => a.durationMinutes === 10),
    ).toBe(true);
    // Each theme's practice follows the previous one: no two themes' prompts on the same day.
    const days = practice.map((o) => localStart(o).toISODate());
    expect(new Set(days).size).toBe(days.length);
    // Nine months: the last practice day is before the summer holidays.
    expect(localStart(practice.at(-1)!).toISODate()! < '2027-06-01').toBe(true);
  });

  it("the pre-visit mail carries Bilag B's fields", () => {
    const mail = activities(odense.id).find((a) => a.kind === 'preVisitMail')!;
    const texts = mail.questions.map((q) => q.text.da);
    expect(texts).toContain('Hvem deltager til sparringsmødet?');
    expect(texts).toContain('Hvad oplever I hver især fungerer godt?');
    expect(texts).toContain('Hvad oplever I udfordrer processen og jeres medarbejdergruppers progression?');
  });
});

describe('SEVU: Kollegial sparring mellem vejledere', () => {
  it('adds up to 13 hours for participants and 27 for the facilitator, as the seed budgets', () => {
    const p = plan(programme('sevu-kollegial-sparring'), '2026-09-14', { country: 'DK' });
    expect(p.hours.staff).toBe(13);
    expect(p.hours.facilitator).toBe(27);
    expect(p.occurrences.map((o) => (new Date(o.end).getTime() - new Date(o.start).getTime()) / 3_600_000)).toEqual([1.5, 4, 2, 4, 1.5]);
    // Træning 2 is the group on its own.
    expect(ofActivity(p, 'traening-2')[0]!.audience).toEqual(['staff']);
  });

  it("names the four methods, De 3 K'er among them", () => {
    const agenda = activity('sevu-kollegial-sparring', 'temamoede-1').agenda.map((a) => a.da);
    expect(agenda).toHaveLength(4);
    expect(agenda.some((a) => a.startsWith("De 3 K'er: Kontakt, kontrakt, kontekst"))).toBe(true);
  });
});

describe('Kolding: læringssamtaleformatet', () => {
  const kolding = programme('kolding-laeringssamtale');

  it('holds two two-hour læringssamtaler a year, each preceded by a handleplan and an I DO ART draft for the consultant', () => {
    const p = plan(kolding, '2026-08-10', { country: 'DK' });
    const talks = p.occurrences.filter((o) => o.kind === 'learningConversation');
    expect(talks).toHaveLength(2);
    for (const talk of talks) {
      expect(new Date(talk.end).getTime() - new Date(talk.start).getTime()).toBe(2 * 3_600_000);
      const before = p.occurrences.filter((o) => o.start < talk.start);
      const draft = before.filter((o) => o.kind === 'idoArtDraft').at(-1)!;
      expect(draft.audience).toContain('consultant');
      expect(before.some((o) => o.kind === 'actionPlan' && o.start <= draft.start)).toBe(true);
    }
  });

  it('uses Styr læringsamtalen and the six phases of læringshjulet as the agenda', () => {
    const talk = activities(kolding.id).find((a) => a.kind === 'learningConversation')!;
    expect(talk.questions.map((q) => q.text.da)).toEqual(['Hvad har I gjort?', 'Hvilken effekt havde det?', 'Hvad lærte I af det?', 'Og hvad skal så justeres og være jeres næste skridt?']);
    expect(talk.agenda.map((a) => a.da)).toEqual(['Forforståelse', 'Udforskning', 'Fortolkning', 'Forbered handling', 'Udform handleplan', 'Indhent ny data, herunder elevens stemme']);
    const idoArt = activities(kolding.id).find((a) => a.kind === 'idoArtDraft')!;
    expect(idoArt.questions.map((q) => q.id)).toEqual(['intention', 'desired-outcome', 'agenda', 'rules-and-roles', 'time']);
    const handleplan = activities(kolding.id).find((a) => a.kind === 'actionPlan')!;
    expect(handleplan.questions.map((q) => q.id)).toEqual(['staasted', 'maal', 'hvad', 'hvem-hvornaar', 'tegn', 'evaluering']);
  });

  it('follows the yearly cycle in order', () => {
    const p = plan(kolding, '2026-08-10', { country: 'DK' });
    const order = ['datasparring', 'skoleudviklingssamtale', 'referat', 'temaer', 'laeringsworkshop', 'skolebesoeg', 'laeringssamtale-1'];
    const starts = order.map((id) => ofActivity(p, id)[0]!.start);
    expect([...starts].sort()).toEqual(starts);
  });
});

describe('STUK: kommunalt vejledningsforløb', () => {
  it('lasts up to a year; the 10-hour punch card is an option beside it, not monthly meetings in the plan', () => {
    const stuk = programme('stuk-vejledningsforloeb');
    const p = plan(stuk, '2026-09-01', { country: 'DK' });
    expect(stuk.punchCard?.hours).toBe(10);
    const last = localStart(p.occurrences.at(-1)!);
    expect(last.diff(localStart(p.occurrences[0]!), 'months').months).toBeLessThanOrEqual(12);
    expect(ofActivity(p, 'sparring')).toEqual([]);
    expect(p.warnings).toEqual([]);
  });

  it('with monthly sparring chosen, keeps it within the punch card', () => {
    const p = plan(programme('stuk-vejledningsforloeb'), '2026-09-01', { country: 'DK' }, { klippekort: 'maanedlig' });
    expect(ofActivity(p, 'sparring').length).toBeGreaterThan(0);
    expect(ofActivity(p, 'sparring').length).toBeLessThanOrEqual(10);
    expect(p.warnings).toEqual([]);
  });
});
