import type { Messages } from './messages.ts';

const list = (choices: string[]) => choices.join(', ');

export const sv: Messages = {
  cli: {
    usage: 'användning: sparring programmes | plan <id> --start ÅÅÅÅ-MM-DD [...] | validate <fil> | card --list | card <namn> [...]',
    cardUsage: 'användning: sparring card --list | sparring card <namn> [--locale da|sv|en] [--channel teams|slack] [--tz ZON] [--data fil.json]',
    unknownCard: (name, choices) => `okänt kort "${name}"; välj ett av: ${list(choices)}`,
    cardDataUnreadable: (file, reason) => `${file}: kan inte läsa data (${reason})`,
    cardDataInvalid: (file, card, problems) => `${file}: passar inte kortet ${card}:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    validateUsage: 'användning: sparring validate <fil>',
    planUsage:
      'användning: sparring plan <id> --start ÅÅÅÅ-MM-DD [--tz ZON] [--country DK|SE] [--locale da|sv|en] [--breaks V,V,…] [--set nyckel=värde]… [--format text|json|ics]',
    validOk: (file, id, n) => `${file}: giltigt program "${id}" med ${n} aktiviteter`,
    unknownCommand: (c, choices) => `okänt kommando "${c}"; välj ett av: ${list(choices)}`,
    unknownOption: (o, choices) => `okänd flagga "${o}"; giltiga flaggor: ${list(choices)}`,
    missingValue: (o) => `flaggan ${o} saknar ett värde`,
    unknownProgramme: (id, choices) => `okänt program "${id}"; välj ett av: ${list(choices)}`,
    badDate: (v) => `ogiltigt datum "${v}"; skriv datumet som ÅÅÅÅ-MM-DD, t.ex. 2026-09-14`,
    unknownZone: (v) => `okänd tidszon "${v}"; använd ett IANA-namn som Europe/Stockholm eller Europe/Copenhagen`,
    badChoice: (o, v, choices) => `ogiltigt värde "${v}" för ${o}; välj ett av: ${list(choices)}`,
    badBreaks: (v) => `ogiltiga lovveckor "${v}"; skriv ISO-veckor 1-53 åtskilda med komma, t.ex. 44,51,52,53,1,9`,
    badSetFormat: (v) => `"${v}" har inte formen nyckel=värde`,
    unknownSetting: (k, choices) =>
      choices.length > 0 ? `okänd inställning "${k}"; giltiga inställningar: ${list(choices)}` : `okänd inställning "${k}"; programmet har inga inställningar`,
    badSettingValue: (k, v, choices) => `ogiltigt värde "${v}" för ${k}; välj ett av: ${list(choices)}`,
    programmesHeader: ['id', 'titel', 'längd'],
    months: (n) => `${n} mån.`,
  },
  plan: {
    heading: (title, start, tz) => `${title}: start ${start} (${tz})`,
    settings: 'Inställningar',
    hours: 'Timmar',
    hoursLine: (role, h) => `${role}: ${h} h`,
    week: 'vecka',
    warnings: 'Varningar',
    noOccurrences: 'Inga aktiviteter.',
    everyWorkingDay: (n, time) => `varje arbetsdag kl. ${time} (${n} dagar)`,
    opensFor: (d) => `öppen i ${d} dagar`,
    anonymous: 'anonym',
    breaks: {
      autumn: 'läslov',
      christmas: 'jullov',
      winter: 'sportlov',
      easter: 'påsklov',
      summer: 'sommarlov',
      other: 'lov',
    },
    roles: { staff: 'medarbetare', leader: 'ledare', facilitator: 'samtalsledare', consultant: 'konsult', guide: 'handledare' },
  },
  warnings: {
    beforeRunStart: (a, wanted, placed) => `${a}: skulle ligga ${wanted}, innan programmet startar; lagd ${placed}`,
    fewerDaysBefore: (a, d, target) => `${a}: kan inte ligga minst ${d} dagar före ${target} eftersom programmet inte har startat`,
    noWorkingDay: (a, from, to) => `${a}: inga arbetsdagar mellan ${from} och ${to}`,
    termOverrun: (a, w) => `${a}: höstens delar hinner inte bli klara före vårens startvecka ${w}`,
    noVariant: (a) => `${a}: ingen variant passar de valda inställningarna`,
    nothingBetween: (a, after, before) => `${a}: ${after} och ${before} har inte lika många tillfällen`,
    punchCardExceeded: (planned, budget) => `klippkortet: ${planned} h planerade, men kortet har ${budget} h`,
  },
};
