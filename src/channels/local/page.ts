/**
 * The local playground's page: one static HTML document (inline CSS and script, no build step)
 * that lets a person try a whole programme in the browser. It reads and drives the JSON API under
 * /playground/api (state, command, action, clock, locale) and draws every card with the official
 * Adaptive Cards renderer, served at /playground/adaptivecards.js: the same card JSON Teams gets.
 *
 * What the page does:
 * - "Who am I" (`?as=` or `#as=`, kept in the hash) picks the member whose chat is shown.
 * - Three panes: my 1:1 chat with the bot, the team channel, and the mails the bot sent.
 * - A /sparring command box; its reply is shown in my chat only, marked "only you can see this".
 * - A card's button POSTs /action; the returned card replaces the clicked one in place.
 * - The demo clock moves a day, a week or to the next occurrence; the language can be changed.
 * - State is polled every 2 s; a message is drawn again only when its card changed, so a card a
 *   person is typing in is left alone.
 * - An API error (4xx `{ error: { message } }`) is shown as a notice in my chat (role="alert").
 *
 * For tests the page sets `document.body.dataset.ready` once the first state is drawn and
 * `data-message-id`, `data-card` and `data-activity` on every message.
 */

import { escapeHtml, jsonForScript } from '../../cards/browser/escape.ts';
import { SCRIPT_CARDS } from './page-script-cards.ts';
import { SCRIPT_ACTIONS } from './page-script-actions.ts';
import { SCRIPT_PANES } from './page-script-panes.ts';
import { STYLE } from './page-style.ts';
export interface PlaygroundPageOptions {
  /** URL of adaptivecards.min.js. */
  scriptSrc?: string;
  /** Base URL of the playground's JSON API, without a trailing slash. */
  apiBase?: string;
}

/**
 * The UI words the page takes from `state.strings`. The last three are not (yet) in the API's
 * list; until they are, the page falls back to the English words in FALLBACK below.
 */
export const PLAYGROUND_STRING_KEYS = [
  'title',
  'whoAmI',
  'chat',
  'channel',
  'mails',
  'noMessages',
  'noMails',
  'commandLabel',
  'commandPlaceholder',
  'send',
  'clock',
  'nextDay',
  'nextWeek',
  'nextOccurrence',
  'language',
  'roles.staff',
  'roles.leader',
  'roles.facilitator',
  'roles.consultant',
  'roles.guide',
  'roles.chief',
  'error',
  'onlyYou',
  'mailTo',
  'downloadIcs',
  'firstStep',
] as const;

/** English words shown until the first state arrives, or when the server lacks a key. */
const FALLBACK: Record<(typeof PLAYGROUND_STRING_KEYS)[number], string> = {
  title: 'Sparringsbot playground',
  whoAmI: 'Who am I',
  chat: 'My chat with the bot',
  channel: 'Team channel',
  mails: 'Mails sent',
  noMessages: 'No messages yet.',
  noMails: 'No mails sent yet.',
  commandLabel: 'Command',
  commandPlaceholder: 'help, plan, status, agenda …',
  send: 'Send',
  clock: 'Demo clock',
  nextDay: 'Next day',
  nextWeek: 'Next week',
  nextOccurrence: 'To the next occurrence',
  language: 'Language',
  'roles.staff': 'staff',
  'roles.leader': 'leader',
  'roles.facilitator': 'facilitator',
  'roles.consultant': 'consultant',
  'roles.guide': 'guide',
  'roles.chief': 'director',
  error: 'That did not work',
  onlyYou: 'Only you can see this',
  mailTo: 'To',
  downloadIcs: 'Download calendar file (.ics)',
  firstStep: 'Start as Lene, the leader: the team channel says the programme has started. Try /sparring plan, or move the clock to the next activity.',
};

/** The playground page, served at `/`. */
export function playgroundHtml(options: PlaygroundPageOptions = {}): string {
  const scriptSrc = options.scriptSrc ?? '/playground/adaptivecards.js';
  const apiBase = (options.apiBase ?? '/playground/api').replace(/\/+$/, '');
  const config = { apiBase, fallback: FALLBACK };
  return `<!doctype html>
<html lang="da">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(FALLBACK.title)}</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1><span id="title-text">${escapeHtml(FALLBACK.title)}</span> <span class="team" id="team-name"></span></h1>
  <div class="clock" role="group" aria-labelledby="clock-label">
    <span class="label" id="clock-label">${escapeHtml(FALLBACK.clock)}</span>
    <time id="now" aria-live="polite"></time>
    <button type="button" class="btn" id="step-day">${escapeHtml(FALLBACK.nextDay)}</button>
    <button type="button" class="btn" id="step-week">${escapeHtml(FALLBACK.nextWeek)}</button>
    <button type="button" class="btn primary" id="step-next">${escapeHtml(FALLBACK.nextOccurrence)}</button>
  </div>
  <div class="field">
    <label for="who" id="who-label">${escapeHtml(FALLBACK.whoAmI)}</label>
    <select id="who"></select>
  </div>
  <div class="field">
    <label for="lang" id="lang-label">${escapeHtml(FALLBACK.language)}</label>
    <select id="lang"></select>
  </div>
</header>
<p class="first-step" id="first-step"></p>
<main>
  <section class="pane" id="chat" aria-labelledby="chat-title">
    <h2 id="chat-title">${escapeHtml(FALLBACK.chat)}</h2>
    <p class="empty" id="chat-empty">${escapeHtml(FALLBACK.noMessages)}</p>
    <div class="log" id="chat-log" role="log" aria-live="polite" aria-labelledby="chat-title" tabindex="0"></div>
    <form class="command" id="command">
      <label for="command-text" id="command-label">${escapeHtml(FALLBACK.commandLabel)}</label>
      <div class="row">
        <span class="prefix" aria-hidden="true">/sparring</span>
        <input type="text" id="command-text" name="text" autocomplete="off" spellcheck="false" placeholder="${escapeHtml(FALLBACK.commandPlaceholder)}">
        <button type="submit" class="btn primary" id="command-send">${escapeHtml(FALLBACK.send)}</button>
      </div>
    </form>
  </section>
  <section class="pane" id="channel" aria-labelledby="channel-title">
    <h2 id="channel-title">${escapeHtml(FALLBACK.channel)}</h2>
    <p class="empty" id="channel-empty">${escapeHtml(FALLBACK.noMessages)}</p>
    <div class="log" id="channel-log" role="log" aria-live="polite" aria-labelledby="channel-title" tabindex="0"></div>
  </section>
  <section class="pane" id="mails" aria-labelledby="mails-title">
    <h2 id="mails-title">${escapeHtml(FALLBACK.mails)}</h2>
    <p class="empty" id="mail-empty">${escapeHtml(FALLBACK.noMails)}</p>
    <div class="log" id="mail-log" role="log" aria-live="polite" aria-labelledby="mails-title" tabindex="0"></div>
  </section>
</main>
<script type="application/json" id="playground-config">${jsonForScript(config)}</script>
<script src="${escapeHtml(scriptSrc)}"></script>
<script>${SCRIPT_CARDS}${SCRIPT_PANES}${SCRIPT_ACTIONS}</script>
</body>
</html>
`;
}
