// `sparring plan` shows what each occurrence sends: `sends` in the JSON, the first send in the text.
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.ts';

async function sparring(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: { write: (s: string) => (out += s) }, err: { write: (s: string) => (err += s) } });
  return { code, out, err };
}

type Occ = { id: string; start: string; kind: string; sends: Array<Record<string, unknown>> };

describe('sparring plan and sends', () => {
  it('the JSON lists every send of every occurrence, in time order, with exactly at, kind, card and audience', async () => {
    const { code, out, err } = await sparring('plan', 'sevu-kollegial-sparring', '--start', '2026-09-07', '--format', 'json');
    expect({ code, err }).toEqual({ code: 0, err: '' });
    const occurrences = (JSON.parse(out) as { occurrences: Occ[] }).occurrences;
    expect(occurrences.length).toBe(5);
    for (const o of occurrences) {
      expect(o.sends.length, o.id).toBeGreaterThan(0);
      for (const s of o.sends) expect(Object.keys(s).sort()).toEqual(['at', 'audience', 'card', 'kind']);
      expect(o.sends.map((s) => Date.parse(String(s['at'])))).toEqual(o.sends.map((s) => Date.parse(String(s['at']))).sort((a, b) => a - b));
    }
    expect(occurrences[0]!.sends).toEqual([
      { at: '2026-08-31T08:00:00+02:00', kind: 'notice', card: 'notice', audience: ['leader', 'staff', 'facilitator'] },
      { at: '2026-09-07T07:30:00+02:00', kind: 'reminder', card: 'reminder', audience: ['leader', 'staff', 'facilitator'] },
    ]);
  });

  it('the JSON has the seed’s lead times: Bilag A, Bilag B and the Skolverket parts', async () => {
    const odense = JSON.parse((await sparring('plan', 'odense-science-boernehoejde', '--start', '2026-08-17', '--format', 'json')).out) as { occurrences: Occ[] };
    const agenda = odense.occurrences.find((o) => o.id === 'sparringsmoede:1')!;
    expect(agenda.sends[0]).toMatchObject({ card: 'sparring-agenda', audience: ['leader'] });
    expect(Date.parse(String(agenda.sends[0]!['at']))).toBeLessThan(Date.parse(agenda.start) - 6 * 86_400_000);
    const form = odense.occurrences.find((o) => o.id === 'mail-til-vejleder-1')!;
    // Bilag B: the form to the leaders 10 working days before the visit; again the day before its 7-day
    // deadline; at the deadline word to the guide (both only if it has not been sent by then).
    const visit = odense.occurrences.find((o) => o.id === 'vejledningsbesoeg-1')!;
    expect(visit.start).toBe('2026-10-20T09:00:00+02:00');
    expect(form.sends).toEqual([
      { at: '2026-10-06T08:00:00+02:00', kind: 'main', card: 'pre-visit-form', audience: ['leader'] },
      { at: '2026-10-12T09:00:00+02:00', kind: 'formReminder', card: 'pre-visit-form', audience: ['leader'] },
      { at: '2026-10-13T09:00:00+02:00', kind: 'lateNotice', card: 'plan-late', audience: ['guide'] },
    ]);

    const skolverket = JSON.parse((await sparring('plan', 'skolverket-kollegialt-larande', '--start', '2026-09-14', '--country', 'SE', '--format', 'json')).out) as {
      occurrences: Array<Occ & { end: string }>;
    };
    const ab = skolverket.occurrences.find((o) => o.id === 'del:1ab')!;
    const cd = skolverket.occurrences.find((o) => o.id === 'del:1cd')!;
    expect(cd.sends[0]).toEqual({ at: ab.end, kind: 'main', card: 'module-part', audience: ['staff', 'facilitator'] });
  });

  it('the JSON has the close summaries with their occurrences and the leaders’ monthly digests beside them', async () => {
    const { out } = await sparring('plan', 'odense-science-boernehoejde', '--start', '2026-09-07', '--format', 'json');
    const odense = JSON.parse(out) as { occurrences: Occ[]; digests: Array<Record<string, unknown>> };
    // A theme's reflection questions are open two weeks (from Monday 5 October), reminded 3 and 1 working days before
    // they close to those who have not answered, and summed up in the channel when they close.
    const theme = odense.occurrences.find((o) => o.id === 'tema-1-1')!;
    expect(theme.sends).toEqual([
      { at: '2026-10-05T09:00:00+02:00', kind: 'main', card: 'reflection-prompt', audience: ['staff', 'leader'] },
      { at: '2026-10-14T08:00:00+02:00', kind: 'answerReminder', card: 'answer-reminder', audience: ['staff', 'leader'] },
      { at: '2026-10-16T08:00:00+02:00', kind: 'answerReminder', card: 'answer-reminder', audience: ['staff', 'leader'] },
      { at: '2026-10-19T09:00:00+02:00', kind: 'closeSummary', card: 'summary', audience: ['staff', 'leader'] },
    ]);
    // Nine themes; not the øvebaner, the leader's own reflection, nor the questionnaires their summary activities sum up.
    const summed = odense.occurrences.filter((o) => o.sends.some((s) => s['kind'] === 'closeSummary'));
    expect(summed.map((o) => o.id)).toEqual(['tema-1-1', 'tema-1-2', 'tema-1-3', 'tema-2-1', 'tema-2-2', 'tema-2-3', 'tema-3-1', 'tema-3-2', 'tema-3-3']);
    // September 2026 to June 2027: one digest a month, on the first working day of the month after, at 08:00.
    expect(odense.digests.map((d) => d['month'])).toEqual(['2026-09', '2026-10', '2026-11', '2026-12', '2027-01', '2027-02', '2027-03', '2027-04', '2027-05', '2027-06']);
    expect(odense.digests[0]).toEqual({ month: '2026-09', at: '2026-10-01T08:00:00+02:00', card: 'digest', audience: ['leader', 'facilitator'] });
    // 1 January is a holiday: the first working day of 2027 is Monday the 4th.
    expect(odense.digests[3]).toMatchObject({ month: '2026-12', at: '2027-01-04T08:00:00+01:00' });
  });

  it('the text plan shows the first send beside each occurrence', async () => {
    const { code, out } = await sparring('plan', 'sevu-kollegial-sparring', '--start', '2026-09-07', '--locale', 'en');
    expect(code).toBe(0);
    const line = out.split('\n').find((l) => l.includes('Startup and planning meeting'));
    expect(line).toMatch(/sent Mon 31 Aug 08:00 \(notice\)$/);
    const da = (await sparring('plan', 'sevu-kollegial-sparring', '--start', '2026-09-07')).out;
    expect(da.split('\n').find((l) => l.includes('Opstarts- og planlægningsmøde'))).toMatch(/sendes man\. 31\. aug\. kl\. 08\.00 \(notice\)$/);
  });
});
