import type { Messages } from './messages.ts';

const list = (choices: string[]) => choices.join(', ');

export const en: Messages = {
  cli: {
    usage: 'usage: sparring programmes | plan <id> --start YYYY-MM-DD [...] | validate <file> | card --list | card <name> [...]',
    cardUsage: 'usage: sparring card --list | sparring card <name> [--locale da|sv|en] [--channel teams|slack] [--tz ZONE] [--data file.json]',
    unknownCard: (name, choices) => `unknown card "${name}"; choose one of: ${list(choices)}`,
    cardDataUnreadable: (file, reason) => `${file}: cannot read the data (${reason})`,
    cardDataInvalid: (file, card, problems) => `${file}: does not fit the card ${card}:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    validateUsage: 'usage: sparring validate <file>',
    planUsage:
      'usage: sparring plan <id> --start YYYY-MM-DD [--tz ZONE] [--country DK|SE] [--locale da|sv|en] [--breaks W,W,…] [--set key=value]… [--format text|json|ics]',
    validOk: (file, id, n) => `${file}: valid programme "${id}" with ${n} activities`,
    unknownCommand: (c, choices) => `unknown command "${c}"; choose one of: ${list(choices)}`,
    unknownOption: (o, choices) => `unknown option "${o}"; valid options: ${list(choices)}`,
    missingValue: (o) => `the option ${o} needs a value`,
    unknownProgramme: (id, choices) => `unknown programme "${id}"; choose one of: ${list(choices)}`,
    badDate: (v) => `invalid date "${v}"; write the date as YYYY-MM-DD, e.g. 2026-09-14`,
    unknownZone: (v) => `unknown time zone "${v}"; use an IANA name such as Europe/Copenhagen or Europe/Stockholm`,
    badChoice: (o, v, choices) => `invalid value "${v}" for ${o}; choose one of: ${list(choices)}`,
    badBreaks: (v) => `invalid break weeks "${v}"; write ISO weeks 1-53 separated by commas, e.g. 42,52,53,1,7`,
    badSetFormat: (v) => `"${v}" is not of the form key=value`,
    unknownSetting: (k, choices) =>
      choices.length > 0 ? `unknown setting "${k}"; valid settings: ${list(choices)}` : `unknown setting "${k}"; the programme has no settings`,
    badSettingValue: (k, v, choices) => `invalid value "${v}" for ${k}; choose one of: ${list(choices)}`,
    programmesHeader: ['id', 'title', 'length'],
    months: (n) => `${n} months`,
  },
  plan: {
    heading: (title, start, tz) => `${title}: starts ${start} (${tz})`,
    settings: 'Settings',
    hours: 'Hours',
    hoursLine: (role, h) => `${role}: ${h} h`,
    week: 'week',
    warnings: 'Warnings',
    noOccurrences: 'No activities.',
    everyWorkingDay: (n, time) => `every working day at ${time} (${n} days)`,
    opensFor: (d) => `open for ${d} days`,
    anonymous: 'anonymous',
    breaks: {
      autumn: 'autumn break',
      christmas: 'Christmas break',
      winter: 'winter break',
      easter: 'Easter break',
      summer: 'summer break',
      other: 'break',
    },
    roles: { staff: 'staff', leader: 'leader', facilitator: 'facilitator', consultant: 'consultant', guide: 'guide' },
  },
  warnings: {
    beforeRunStart: (a, wanted, placed) => `${a}: would fall on ${wanted}, before the run starts; placed on ${placed}`,
    fewerDaysBefore: (a, d, target) => `${a}: cannot be at least ${d} days before ${target} because the run has not started yet`,
    noWorkingDay: (a, from, to) => `${a}: no working days between ${from} and ${to}`,
    termOverrun: (a, w) => `${a}: the autumn parts do not finish before the spring start week ${w}`,
    noVariant: (a) => `${a}: no variant matches the chosen settings`,
    nothingBetween: (a, after, before) => `${a}: ${after} and ${before} do not occur equally often`,
    punchCardExceeded: (planned, budget) => `punch card: ${planned} h planned, but the card holds ${budget} h`,
  },
};
