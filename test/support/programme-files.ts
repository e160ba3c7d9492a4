// Programme files (YAML) for tests that start the real server or CLI on a PROGRAMMES_DIR.
/**
 * A programme file (YAML) of one anonymous questionnaire to the staff, due on the run's first day at 00:00 and open
 * for 14 days: for tests that start the real server from a PROGRAMMES_DIR and fan one card out.
 */
export function oneQuestionnaireFile(id: string): string {
  return `
schemaVersion: 1
id: ${id}
language: da
title: { da: Prøveforløb, sv: Provprogram, en: Test programme }
summary: { da: Et forløb til test, sv: Ett testprogram, en: A test programme }
source: test
lengthMonths: 1
phases:
  - id: only
    title: { da: Eneste fase, sv: Enda fasen, en: Only phase }
    activities:
      - id: skema
        kind: questionnaire
        title: { da: Spørgeskema, sv: Enkät, en: Questionnaire }
        audience: [staff]
        durationMinutes: 20
        windowDays: 14
        anonymous: true
        timing: { type: offset, days: 0, time: "00:00" }
        questions:
          - id: tryghed
            text: { da: Hvor tryg er du?, sv: Hur trygg är du?, en: How confident are you? }
            answer: scale
`;
}
