import type { Messages } from './messages.ts';

const list = (choices: string[]) => choices.join(', ');

export const da: Messages = {
  cli: {
    usage: 'brug: sparring programmes | plan <id> --start ÅÅÅÅ-MM-DD [...] | validate <fil> | card --list | card <navn> [...]',
    cardUsage: 'brug: sparring card --list | sparring card <navn> [--locale da|sv|en] [--channel teams|slack] [--tz ZONE] [--data fil.json]',
    unknownCard: (name, choices) => `ukendt kort "${name}"; vælg et af: ${list(choices)}`,
    cardDataUnreadable: (file, reason) => `${file}: kan ikke læse data (${reason})`,
    cardDataInvalid: (file, card, problems) => `${file}: passer ikke til kortet ${card}:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    validateUsage: 'brug: sparring validate <fil>',
    planUsage:
      'brug: sparring plan <id> --start ÅÅÅÅ-MM-DD [--tz ZONE] [--country DK|SE] [--locale da|sv|en] [--breaks U,U,…] [--set nøgle=værdi]… [--format text|json|ics]',
    validOk: (file, id, n) => `${file}: gyldigt program "${id}" med ${n} aktiviteter`,
    unknownCommand: (c, choices) => `ukendt kommando "${c}"; vælg en af: ${list(choices)}`,
    unknownOption: (o, choices) => `ukendt tilvalg "${o}"; gyldige tilvalg: ${list(choices)}`,
    missingValue: (o) => `tilvalget ${o} mangler en værdi`,
    unknownProgramme: (id, choices) => `ukendt program "${id}"; vælg et af: ${list(choices)}`,
    badDate: (v) => `ugyldig dato "${v}"; skriv datoen som ÅÅÅÅ-MM-DD, fx 2026-09-14`,
    unknownZone: (v) => `ukendt tidszone "${v}"; brug et IANA-navn som Europe/Copenhagen eller Europe/Stockholm`,
    badChoice: (o, v, choices) => `ugyldig værdi "${v}" for ${o}; vælg en af: ${list(choices)}`,
    badBreaks: (v) => `ugyldige ferieuger "${v}"; skriv ISO-uger 1-53 adskilt af komma, fx 42,52,53,1,7`,
    badSetFormat: (v) => `"${v}" er ikke på formen nøgle=værdi`,
    unknownSetting: (k, choices) =>
      choices.length > 0 ? `ukendt indstilling "${k}"; gyldige indstillinger: ${list(choices)}` : `ukendt indstilling "${k}"; programmet har ingen indstillinger`,
    badSettingValue: (k, v, choices) => `ugyldig værdi "${v}" for ${k}; vælg en af: ${list(choices)}`,
    programmesHeader: ['id', 'titel', 'længde'],
    months: (n) => `${n} mdr.`,
  },
  plan: {
    heading: (title, start, tz) => `${title}: start ${start} (${tz})`,
    settings: 'Indstillinger',
    hours: 'Timer',
    hoursLine: (role, h) => `${role}: ${h} t`,
    week: 'uge',
    warnings: 'Advarsler',
    noOccurrences: 'Ingen aktiviteter.',
    everyWorkingDay: (n, time) => `hver arbejdsdag kl. ${time} (${n} dage)`,
    opensFor: (d) => `åben i ${d} dage`,
    anonymous: 'anonym',
    breaks: {
      autumn: 'efterårsferie',
      christmas: 'juleferie',
      winter: 'vinterferie',
      easter: 'påskeferie',
      summer: 'sommerferie',
      other: 'ferie',
    },
    roles: { staff: 'medarbejdere', leader: 'leder', facilitator: 'facilitator', consultant: 'konsulent', guide: 'vejleder' },
  },
  warnings: {
    beforeRunStart: (a, wanted, placed) => `${a}: skulle ligge ${wanted}, før forløbet starter; lagt ${placed}`,
    fewerDaysBefore: (a, d, target) => `${a}: kan ikke ligge mindst ${d} dage før ${target}, fordi forløbet ikke er startet`,
    noWorkingDay: (a, from, to) => `${a}: ingen arbejdsdage mellem ${from} og ${to}`,
    termOverrun: (a, w) => `${a}: efterårets dele når ikke at blive færdige før forårets startuge ${w}`,
    noVariant: (a) => `${a}: ingen variant passer til de valgte indstillinger`,
    nothingBetween: (a, after, before) => `${a}: ${after} og ${before} har ikke lige mange forekomster`,
    punchCardExceeded: (planned, budget) => `klippekortet: planlagt ${planned} t, men kortet har ${budget} t`,
  },
};
