// Bot Framework activities as the Teams service POSTs them to a bot's /api/messages: a message in a
// personal chat or a channel (with the bot's @mention), and an Action.Execute invoke. Their `serviceUrl`
// is the fake Bot Connector, where botbuilder sends the replies.

export const BOT = { id: '28:sparringsbot-app', name: 'Sparringsbot' };

export interface Where {
  serviceUrl: string;
  tenant: string;
  /** A team's id (`channelData.team.id`, the General channel's thread): a channel conversation. None: a personal chat. */
  team?: string;
}

let sequence = 0;
/** A fresh activity id, as Teams gives each activity. */
export const activityId = () => `1:act-${process.pid}-${++sequence}`;

/** The personal chat of a person with the bot. */
export const personalConversation = (userId: string) => `a:personal-${userId}`;
/** A thread in a team's channel: the conversation of a channel message and of the bot's reply to it. */
export const channelThread = (team: string, root = '1700000000001') => `${team};messageid=${root}`;

function base(userId: string, where: Where, id: string) {
  const inTeam = where.team !== undefined;
  return {
    id,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: where.serviceUrl,
    from: { id: userId, name: userId, aadObjectId: `aad-${userId}` },
    recipient: BOT,
    conversation: inTeam
      ? { id: channelThread(where.team!), conversationType: 'channel', isGroup: true, tenantId: where.tenant }
      : { id: personalConversation(userId), conversationType: 'personal', tenantId: where.tenant },
    channelData: inTeam ? { team: { id: where.team, name: 'Team' }, channel: { id: where.team }, tenant: { id: where.tenant } } : { tenant: { id: where.tenant } },
    locale: 'da-DK',
  };
}

/** A message; in a channel it starts with the bot's @mention, as Teams delivers it. */
export function message(userId: string, text: string, where: Where, id = activityId()) {
  const inTeam = where.team !== undefined;
  const mention = `<at>${BOT.name}</at>`;
  return {
    ...base(userId, where, id),
    type: 'message',
    textFormat: 'plain',
    text: inTeam ? `${mention} ${text}` : text,
    entities: inTeam ? [{ type: 'mention', text: mention, mentioned: BOT }] : [],
  };
}

/** A click on an Action.Execute: Teams merges the inputs' values into the action's `data`. */
export function cardAction(userId: string, verb: string, data: Record<string, unknown>, inputs: Record<string, unknown>, where: Where, id = activityId()) {
  return {
    ...base(userId, where, id),
    type: 'invoke',
    name: 'adaptiveCard/action',
    value: { action: { type: 'Action.Execute', verb, data: { ...data, ...inputs } }, trigger: 'manual' },
  };
}

/** A small programme for Teams tests: a daily øvebane, an anonymous questionnaire that closed long ago, a monthly sparring meeting. */
export const TEAMS_TEST_PROGRAMME = `
schemaVersion: 1
id: teams-test
language: da
title: { da: Teams-prøve, sv: Teams-prov, en: Teams test }
summary: { da: Et forløb til test, sv: Ett testprogram, en: A test programme }
source: test
lengthMonths: 4
phases:
  - id: only
    title: { da: Eneste fase, sv: Enda fasen, en: Only phase }
    activities:
      - id: oevebane
        kind: practicePrompt
        title: { da: "Øvebane: Undersøg med børnene", sv: "Övningsbana: Undersök med barnen", en: "Practice track: Explore with the children" }
        text: { da: Brug 10 minutter i dag., sv: Ägna 10 minuter i dag., en: Spend 10 minutes today. }
        audience: [staff]
        durationMinutes: 10
        timing: { type: workingDays, forWeeks: 16, time: "00:00" }
      - id: skema
        kind: questionnaire
        title: { da: Spørgeskema, sv: Enkät, en: Questionnaire }
        audience: [staff]
        durationMinutes: 20
        windowDays: 2
        anonymous: true
        timing: { type: offset, days: 0, time: "00:00" }
        questions:
          - id: tryghed
            text: { da: Hvor tryg er du?, sv: Hur trygg är du?, en: How confident are you? }
            answer: scale
      - id: sparringsmoede
        kind: sparringMeeting
        title: { da: Sparringsmøde, sv: Sparringmöte, en: Sparring meeting }
        audience: [leader]
        durationMinutes: 40
        timeBox: { min: 30, max: 40 }
        timing: { type: monthly, nth: 2, weekday: tue, fromWeeks: 0, untilWeeks: 16, time: "13:00" }
        questions:
          - id: orientering
            text: { da: Hvordan går det?, sv: Hur går det?, en: How is it going? }
`;
