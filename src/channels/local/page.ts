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

import { hostConfigScript } from '../../cards/browser/host-config.ts';
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
  'error',
  'onlyYou',
  'mailTo',
  'downloadIcs',
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
  error: 'That did not work',
  onlyYou: 'Only you can see this',
  mailTo: 'To',
  downloadIcs: 'Download calendar file (.ics)',
};

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const attr = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
/** JSON inside <script type="application/json">: no `<` can end the element. */
const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

const STYLE = `
:root {
  color-scheme: light;
  --ink: #1b1b1b; --quiet: #4f4f4f; --line: #c4c4c4; --page: #f2f2f4; --panel: #ffffff;
  --accent: #4f52b2; --accent-ink: #ffffff; --focus: #1a1d8f; --alert: #a4262c; --alert-bg: #fdf3f4;
  --mine: #f0eefa; --mine-ink: #4b2e83;
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
html { background: var(--page); color: var(--ink); }
body { margin: 0; font: 15px/1.45 "Segoe UI", system-ui, -apple-system, "Helvetica Neue", Arial, sans-serif; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
a { color: #2f3190; }

body > header { display: flex; flex-wrap: wrap; align-items: flex-end; gap: 12px 28px; padding: 14px 20px; background: var(--panel); border-bottom: 1px solid var(--line); }
body > header h1 { margin: 0; font-size: 20px; line-height: 1.25; }
body > header .team { display: block; font-size: 14px; font-weight: normal; color: var(--quiet); }
.clock { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 8px; margin: 0; padding: 0; border: 0; }
.clock .label { font-size: 13px; font-weight: 600; color: var(--quiet); }
.clock time { font-weight: 600; margin-right: 6px; font-variant-numeric: tabular-nums; }
.field { display: flex; flex-direction: column; gap: 2px; }
.field label { font-size: 13px; font-weight: 600; color: var(--quiet); }
select, input[type=text] { font: inherit; color: var(--ink); background: #fff; min-height: 34px; padding: 4px 8px; border: 1px solid #8a8a8a; border-radius: 4px; }
button { font: inherit; }
.btn { min-height: 34px; padding: 5px 12px; border: 1px solid #8a8a8a; border-radius: 4px; background: #fff; color: var(--ink); font-weight: 600; cursor: pointer; }
.btn:hover { background: #ececf4; }
.btn.primary { background: var(--accent); border-color: var(--accent); color: var(--accent-ink); }
.btn.primary:hover { background: #3f4296; }
.btn[aria-disabled=true] { cursor: progress; opacity: 0.8; }

main { display: grid; grid-template-columns: minmax(0, 1fr); gap: 16px; padding: 16px 20px 24px; }
@media (min-width: 1100px) { main { grid-template-columns: minmax(0, 1.1fr) minmax(0, 1.1fr) minmax(0, 0.8fr); } }
.pane { display: flex; flex-direction: column; min-width: 0; background: #fafafa; border: 1px solid var(--line); border-radius: 8px; }
.pane > h2 { margin: 0; padding: 10px 14px; font-size: 16px; border-bottom: 1px solid var(--line); background: var(--panel); border-radius: 8px 8px 0 0; }
.log { flex: 1 1 auto; display: flex; flex-direction: column; gap: 12px; padding: 12px; min-height: 200px; max-height: calc(100vh - 210px); overflow-y: auto; }
#chat-log { max-height: calc(100vh - 300px); }
.log:empty { display: none; }
.empty { margin: 12px; color: var(--quiet); }

.msg { margin: 0; }
.msg .meta { display: flex; flex-wrap: wrap; gap: 2px 8px; align-items: baseline; margin: 0 0 4px 2px; font-size: 12px; color: var(--quiet); }
.msg .meta .from { font-weight: 600; color: var(--ink); }
.msg .body { background: #fff; border: 1px solid var(--line); border-radius: 8px; overflow: hidden; box-shadow: 0 1px 2px rgb(0 0 0 / 6%); }
.msg .body:focus-visible { outline-offset: 1px; }
.msg[aria-busy=true] .body { opacity: 0.7; }
.msg.ephemeral .body { border: 1px dashed #6b4fa6; background: var(--mine); }
.msg.ephemeral .only-you { font-weight: 600; color: var(--mine-ink); }
.msg .broken { padding: 10px 12px; color: var(--alert); white-space: pre-wrap; }
.notice { margin: 0; padding: 10px 12px; border: 1px solid var(--alert); border-left-width: 4px; border-radius: 8px; background: var(--alert-bg); color: var(--alert); }
.notice strong { display: block; }

.command { margin-top: auto; display: flex; flex-direction: column; gap: 4px; padding: 10px 12px 12px; border-top: 1px solid var(--line); background: var(--panel); border-radius: 0 0 8px 8px; }
.command label { font-size: 13px; font-weight: 600; color: var(--quiet); }
.command .row { display: flex; align-items: center; gap: 8px; }
.command .prefix { font-family: ui-monospace, Menlo, Consolas, monospace; color: var(--quiet); }
.command input { flex: 1 1 auto; min-width: 0; }

.mail { margin: 0; padding: 0 0 4px; }
.mail h3 { margin: 0 0 2px; font-size: 15px; }
.mail .meta { margin: 0 0 6px; font-size: 12px; color: var(--quiet); }
.mail pre { margin: 0 0 6px; padding: 8px 10px; background: #fff; border: 1px solid var(--line); border-radius: 6px; white-space: pre-wrap; overflow-wrap: anywhere; font: 13px/1.5 ui-monospace, "Cascadia Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace; }

/* What adaptivecards.css would add, in Teams' light look. */
.ac-adaptiveCard { outline: none; }
.ac-textBlock p { margin: 0 0 6px; }
.ac-textBlock p:last-child { margin-bottom: 0; }
.ac-textBlock ul, .ac-textBlock ol { margin: 0; padding-left: 1.4em; }
.ac-pushButton { font: inherit; font-size: 14px; font-weight: 600; min-height: 32px; padding: 5px 12px; border: 1px solid #8a8a8a; border-radius: 4px; background: #fff; color: #242424; cursor: pointer; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.ac-pushButton:hover { background: #ececf4; }
.ac-pushButton:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.ac-pushButton.style-positive { background: var(--accent); border-color: var(--accent); color: #fff; }
.ac-pushButton.style-positive:hover { background: #3f4296; }
.ac-pushButton.style-destructive { color: var(--alert); border-color: var(--alert); }
.ac-input { font: inherit; font-size: 14px; color: #242424; }
.ac-input.ac-textInput, .ac-input.ac-numberInput, .ac-input.ac-dateInput, .ac-input.ac-timeInput, .ac-input.ac-multichoiceInput { width: 100%; min-height: 32px; padding: 5px 8px; border: 1px solid #8a8a8a; border-radius: 4px; background: #fff; }
.ac-input.ac-textInput.ac-multiline { min-height: 72px; resize: vertical; }
.ac-input:focus-visible, .ac-input input:focus-visible { outline: 3px solid var(--focus); outline-offset: 1px; }
.ac-input.ac-input-validation-failed { border-color: var(--alert); }
.ac-input.ac-choiceSetInput-expanded input, .ac-input.ac-toggleInput input { accent-color: var(--accent); width: 18px; height: 18px; }
`;

/** Runs in the page. Plain ES2019, no template literals, so it can sit in a TypeScript string. */
const SCRIPT = String.raw`
(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('playground-config').textContent);
  var API = config.apiBase;
  var FALLBACK = config.fallback;
  var POLL_MS = 2000;

  var el = function (id) { return document.getElementById(id); };
  var state = null;
  var who = initialWho();
  var requestSeq = 0;
  var appliedSeq = 0;
  var localSeq = 0;
  // Per person: replies only they see and error notices, kept in this tab only.
  var locals = {};
  var busy = false;

  function initialWho() {
    var fromHash = new URLSearchParams(location.hash.replace(/^#/, '')).get('as');
    return fromHash || new URLSearchParams(location.search).get('as') || '';
  }
  function remember(userId) {
    var params = new URLSearchParams(location.hash.replace(/^#/, ''));
    params.set('as', userId);
    history.replaceState(null, '', location.pathname + location.search + '#' + params.toString());
  }
  function t(key) {
    var strings = state && state.strings;
    return (strings && strings[key]) || FALLBACK[key] || key;
  }
  function setText(node, text) { if (node.textContent !== text) node.textContent = text; }
  function localsOf(userId) { return locals[userId] || (locals[userId] = []); }
  function demoNow() { return (state && state.now) || new Date().toISOString(); }

  // ---- API ----------------------------------------------------------------------------------

  function ApiError(message) { this.message = message; }
  function api(method, path, body) {
    var init = { method: method, headers: { accept: 'application/json' } };
    if (body !== undefined) {
      init.headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch(API + path, init).then(function (res) {
      return res.text().then(function (text) {
        var json = null;
        try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
        if (!res.ok) {
          var message = json && json.error && json.error.message;
          throw new ApiError(message || (res.status + ' ' + res.statusText));
        }
        return json;
      });
    }, function (error) {
      throw new ApiError(error && error.message ? error.message : String(error));
    });
  }
  function stateUrl() { return '/state' + (who ? '?as=' + encodeURIComponent(who) : ''); }

  /** Every request gets a number; a state older than the one shown is dropped. */
  function request(method, path, body) {
    var seq = ++requestSeq;
    return api(method, path, body).then(function (json) { return { seq: seq, json: json }; });
  }
  function applyIfNewer(seq, next) {
    if (!next || seq < appliedSeq) return;
    appliedSeq = seq;
    apply(next);
  }
  function fail(error) {
    var message = error instanceof ApiError ? error.message : (error && error.message) || String(error);
    var list = localsOf(who || '');
    var last = list[list.length - 1];
    // The same failure again (a poll while the server is away) is not repeated.
    if (last && last.notice && last.text === message) return;
    list.push({ id: 'notice-' + (++localSeq), at: demoNow(), notice: true, text: message });
    if (state) renderChat(true);
    else renderNoticesOnly();
  }

  // ---- Adaptive Cards -----------------------------------------------------------------------

  var renderer = typeof AdaptiveCards !== 'undefined' ? AdaptiveCards : null;
  var hostConfig = null;
  if (renderer) {
    hostConfig = ${hostConfigScript('renderer')};
    renderer.AdaptiveCard.onProcessMarkdown = function (text, result) {
      result.outputHtml = markdown(text);
      result.didProcess = true;
    };
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  /** Bold, italics and http(s)/mailto links within a line; everything else is text. */
  function inlineMarkdown(line) {
    return escapeHtml(line)
      .replace(/\[([^\]]+)\]\(((?:https?:|mailto:)[^)\s]+)\)/g, '<a href="$2" target="_blank" rel="noopener">$1</a>')
      .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
      .replace(/(^|[\s(])_(?!\s)(.+?)_(?=$|[\s).,;:!?])/g, '$1<em>$2</em>')
      .replace(/(^|[\s(])\*(?![\s*])(.+?)\*(?=$|[\s).,;:!?])/g, '$1<em>$2</em>');
  }
  /** The TextBlock Markdown Teams understands: paragraphs, line breaks, bulleted and numbered lists. */
  function markdown(text) {
    var out = '';
    String(text).split(/\n{2,}/).forEach(function (block) {
      var lines = [];
      var list = null;
      var endLines = function () { if (lines.length) { out += '<p>' + lines.join('<br>') + '</p>'; lines = []; } };
      var endList = function () {
        if (!list) return;
        var start = list.tag === 'ol' && list.first !== 1 ? ' start="' + list.first + '"' : '';
        out += '<' + list.tag + start + '>' + list.items.join('') + '</' + list.tag + '>';
        list = null;
      };
      block.split('\n').forEach(function (line) {
        var bullet = /^\s*[-*+]\s+(.*)$/.exec(line);
        var numbered = bullet ? null : /^\s*(\d+)\.\s+(.*)$/.exec(line);
        if (!bullet && !numbered) { endList(); lines.push(inlineMarkdown(line)); return; }
        endLines();
        var tag = bullet ? 'ul' : 'ol';
        if (list && list.tag !== tag) endList();
        // "3. …" alone in a TextBlock stays item 3, as Teams shows it.
        if (!list) list = { tag: tag, items: [], first: numbered ? Number(numbered[1]) : 1 };
        list.items.push('<li>' + inlineMarkdown(bullet ? bullet[1] : numbered[2]) + '</li>');
      });
      endLines();
      endList();
    });
    return out;
  }

  /** The first action's data names the card and its occurrence: data-card and data-activity. */
  function describe(card) {
    var actions = (card && card.actions) || [];
    for (var i = 0; i < actions.length; i++) {
      var data = actions[i] && actions[i].data;
      if (data && typeof data === 'object') return { card: data.card, activity: data.ref && data.ref.activityId };
    }
    return {};
  }

  /** Draws one card; its buttons call onAction(verb, data, inputs, action). */
  function drawCard(json, onAction) {
    // A form of its own per card: radio buttons with the same input id in two cards stay two groups.
    var box = document.createElement('form');
    box.noValidate = true;
    box.addEventListener('submit', function (event) { event.preventDefault(); });
    if (!renderer) {
      box.className = 'broken';
      box.textContent = 'The Adaptive Cards renderer did not load.';
      return box;
    }
    try {
      var card = new renderer.AdaptiveCard();
      card.hostConfig = hostConfig;
      card.onExecuteAction = function (action) {
        var type = action.getJsonTypeName();
        if (type === 'Action.OpenUrl') {
          if (/^(https?:|mailto:)/i.test(action.url || '')) window.open(action.url, '_blank', 'noopener');
          return;
        }
        if (type !== 'Action.Execute' && type !== 'Action.Submit') return;
        // The inputs the action takes (none for associatedInputs "none"), as Teams sends them.
        var referenced = typeof action.getReferencedInputs === 'function' ? action.getReferencedInputs() || {} : {};
        var inputs = {};
        Object.keys(referenced).forEach(function (id) {
          var input = referenced[id];
          if (input && input.id && input.isSet()) inputs[input.id] = input.value;
        });
        var data = action.data && typeof action.data === 'object' ? JSON.parse(JSON.stringify(action.data)) : {};
        Object.keys(inputs).forEach(function (id) { delete data[id]; });
        var verb = action.verb || (typeof data.verb === 'string' ? data.verb : '');
        onAction(verb, data, inputs);
      };
      var context = new renderer.SerializationContext();
      card.parse(json, context);
      var rendered = card.render();
      if (!rendered) throw new Error('nothing to draw');
      box.appendChild(rendered);
    } catch (error) {
      box.className = 'broken';
      box.textContent = 'This card could not be drawn: ' + (error && error.message ? error.message : String(error));
    }
    return box;
  }

  // ---- Drawing ------------------------------------------------------------------------------

  // As the cards write dates: English is read in Denmark and Sweden (24-hour clock, day before month).
  var INTL_LOCALE = { da: 'da-DK', sv: 'sv-SE', en: 'en-GB' };
  function formatter(options) {
    try { return new Intl.DateTimeFormat(INTL_LOCALE[state.locale] || state.locale, Object.assign({ timeZone: state.timeZone }, options)); }
    catch (e) { return new Intl.DateTimeFormat(undefined, options); }
  }
  function timeElement(iso) {
    var node = document.createElement('time');
    node.dateTime = iso;
    node.textContent = formatter({ dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
    return node;
  }

  /** Keyed list: a node is built again only when its key changed; others stay as they are. */
  function reconcile(list, items, keyOf, build) {
    var cache = list.__cache || (list.__cache = new Map());
    var keep = new Set();
    var added = false;
    var nodes = items.map(function (item) {
      var key = keyOf(item);
      var entry = cache.get(item.id);
      keep.add(item.id);
      if (entry && entry.key === key) return entry.node;
      var node = build(item);
      if (entry) {
        var hadFocus = entry.node.contains(document.activeElement);
        entry.node.replaceWith(node);
        if (hadFocus) focusMessage(node);
      } else {
        added = true;
      }
      cache.set(item.id, { key: key, node: node });
      return node;
    });
    cache.forEach(function (entry, id) {
      if (!keep.has(id)) { entry.node.remove(); cache.delete(id); }
    });
    nodes.forEach(function (node, i) {
      if (list.children[i] !== node) list.insertBefore(node, list.children[i] || null);
    });
    return added;
  }
  function setCached(list, id, key, node) {
    var cache = list.__cache || (list.__cache = new Map());
    cache.set(id, { key: key, node: node });
  }
  function focusMessage(node) {
    var body = node.querySelector('.body') || node;
    body.tabIndex = -1;
    body.focus({ preventScroll: true });
  }
  function nearBottom(list) { return list.scrollHeight - list.scrollTop - list.clientHeight < 60; }
  function toBottom(list) { list.scrollTop = list.scrollHeight; }

  function messageKey(message) {
    return state.locale + '|' + state.timeZone + '|' + (message.ephemeral ? 'e' : 'm') + '|' + JSON.stringify(message.card);
  }

  function buildMessage(message, list) {
    var node = document.createElement('article');
    node.className = 'msg' + (message.ephemeral ? ' ephemeral' : '');
    node.dataset.messageId = message.id;
    var about = describe(message.card);
    if (about.card) node.dataset.card = about.card;
    if (about.activity) node.dataset.activity = about.activity;
    var meta = document.createElement('p');
    meta.className = 'meta';
    var from = document.createElement('span');
    from.className = 'from';
    from.textContent = 'Sparringsbot';
    meta.appendChild(from);
    meta.appendChild(timeElement(message.at));
    if (message.ephemeral) {
      var only = document.createElement('span');
      only.className = 'only-you';
      only.textContent = t('onlyYou');
      meta.appendChild(only);
    }
    node.appendChild(meta);
    var body = drawCard(message.card, function (verb, data, inputs) { act(list, node, message, verb, data, inputs); });
    body.classList.add('body');
    node.appendChild(body);
    return node;
  }

  function buildNotice(item) {
    var node = document.createElement('div');
    node.className = 'notice';
    node.setAttribute('role', 'alert');
    node.dataset.messageId = item.id;
    var heading = document.createElement('strong');
    heading.textContent = t('error');
    var text = document.createElement('span');
    text.textContent = item.text;
    node.appendChild(heading);
    node.appendChild(text);
    return node;
  }

  /** My chat: the server's messages with this tab's replies and notices, by time (the server's first on a tie). */
  function chatItems() {
    var server = state.chat.slice();
    var mine = localsOf(state.me.userId).slice();
    var out = [];
    var i = 0;
    mine.forEach(function (local) {
      var at = Date.parse(local.at);
      while (i < server.length && Date.parse(server[i].at) <= at) out.push(server[i++]);
      out.push(local);
    });
    while (i < server.length) out.push(server[i++]);
    return out;
  }

  function renderPane(listId, emptyId, items, force) {
    var list = el(listId);
    var stick = force || nearBottom(list) || !list.__drawn;
    var added = reconcile(list, items, function (item) {
      return item.notice ? 'notice|' + item.text + '|' + t('error') : messageKey(item);
    }, function (item) {
      return item.notice ? buildNotice(item) : buildMessage(item, list);
    });
    el(emptyId).hidden = items.length > 0;
    if (stick && (added || !list.__drawn || force)) toBottom(list);
    list.__drawn = true;
  }
  function renderChat(force) { renderPane('chat-log', 'chat-empty', chatItems(), force); }
  function renderNoticesOnly() {
    var list = el('chat-log');
    reconcile(list, localsOf(who || ''), function (item) { return 'notice|' + item.text; }, buildNotice);
    el('chat-empty').hidden = true;
  }

  function renderMails() {
    var list = el('mail-log');
    var stick = nearBottom(list) || !list.__drawn;
    var added = reconcile(list, state.mails, function (mail) {
      return state.locale + '|' + mail.at + '|' + mail.subject + '|' + mail.to + '|' + mail.text + '|' + (mail.ics || '');
    }, function (mail) {
      var node = document.createElement('article');
      node.className = 'mail';
      node.dataset.messageId = mail.id;
      var headingId = 'mail-' + mail.id.replace(/[^A-Za-z0-9_-]/g, '_');
      node.setAttribute('aria-labelledby', headingId);
      var heading = document.createElement('h3');
      heading.id = headingId;
      heading.textContent = mail.subject;
      var meta = document.createElement('p');
      meta.className = 'meta';
      meta.appendChild(document.createTextNode(t('mailTo') + ': ' + mail.to + ' · '));
      meta.appendChild(timeElement(mail.at));
      var text = document.createElement('pre');
      text.textContent = mail.text;
      node.appendChild(heading);
      node.appendChild(meta);
      node.appendChild(text);
      if (mail.ics) {
        var link = document.createElement('a');
        link.href = 'data:text/calendar;charset=utf-8,' + encodeURIComponent(mail.ics);
        link.download = 'invite.ics';
        link.textContent = t('downloadIcs');
        node.appendChild(link);
      }
      return node;
    });
    el('mail-empty').hidden = state.mails.length > 0;
    if (stick && added) toBottom(list);
    list.__drawn = true;
  }

  function roleNames(roles) { return roles.map(function (r) { return t('roles.' + r); }).join(', '); }

  function renderHeader() {
    document.documentElement.lang = state.locale;
    var title = t('title');
    var team = state.team && state.team.name !== title ? state.team.name : '';
    document.title = team ? title + ' – ' + team : title;
    setText(el('title-text'), title);
    setText(el('team-name'), team);
    setText(el('clock-label'), t('clock'));
    var now = el('now');
    now.dateTime = state.now;
    setText(now, formatter({ dateStyle: 'full', timeStyle: 'short' }).format(new Date(state.now)));
    setText(el('step-day'), t('nextDay'));
    setText(el('step-week'), t('nextWeek'));
    setText(el('step-next'), t('nextOccurrence'));
    setText(el('who-label'), t('whoAmI'));
    setText(el('lang-label'), t('language'));
    setText(el('chat-title'), t('chat'));
    setText(el('channel-title'), t('channel'));
    setText(el('mails-title'), t('mails'));
    setText(el('chat-empty'), t('noMessages'));
    setText(el('channel-empty'), t('noMessages'));
    setText(el('mail-empty'), t('noMails'));
    setText(el('command-label'), t('commandLabel'));
    setText(el('command-send'), t('send'));
    var input = el('command-text');
    if (input.placeholder !== t('commandPlaceholder')) input.placeholder = t('commandPlaceholder');

    var select = el('who');
    var options = state.members.map(function (m) {
      return { value: m.userId, label: m.name + ' (' + roleNames(m.roles) + ')' };
    });
    var signature = JSON.stringify(options);
    if (select.dataset.signature !== signature) {
      select.textContent = '';
      options.forEach(function (o) {
        var option = document.createElement('option');
        option.value = o.value;
        option.textContent = o.label;
        select.appendChild(option);
      });
      select.dataset.signature = signature;
    }
    if (select.value !== state.me.userId) select.value = state.me.userId;

    var language = el('lang');
    if (!language.options.length) {
      ['da', 'sv', 'en'].forEach(function (code) {
        var option = document.createElement('option');
        option.value = code;
        option.lang = code;
        var name = code;
        try { name = new Intl.DisplayNames([code], { type: 'language' }).of(code) || code; } catch (e) { /* the code is a name too */ }
        option.textContent = name.charAt(0).toLocaleUpperCase(code) + name.slice(1);
        language.appendChild(option);
      });
    }
    if (language.value !== state.locale) language.value = state.locale;
  }

  function apply(next) {
    var switched = !state || state.me.userId !== next.me.userId;
    state = next;
    if (who !== state.me.userId) { who = state.me.userId; remember(who); }
    if (switched) {
      // Another person: their own chat from scratch.
      el('chat-log').textContent = '';
      el('chat-log').__cache = null;
      el('chat-log').__drawn = false;
    }
    renderHeader();
    renderChat(false);
    renderPane('channel-log', 'channel-empty', state.channel, false);
    renderMails();
    document.body.dataset.as = state.me.userId;
    document.body.dataset.ready = 'true';
  }

  // ---- Actions ------------------------------------------------------------------------------

  function act(list, node, message, verb, data, inputs) {
    if (node.getAttribute('aria-busy') === 'true') return;
    node.setAttribute('aria-busy', 'true');
    request('POST', '/action', { as: state.me.userId, messageId: message.id, verb: verb, data: data, inputs: inputs }).then(function (result) {
      node.removeAttribute('aria-busy');
      var replaced = Object.assign({}, message, { card: result.json.card });
      if (message.ephemeral) {
        var mine = localsOf(state.me.userId);
        for (var i = 0; i < mine.length; i++) if (mine[i].id === message.id) mine[i] = replaced;
      }
      // In place, at once: the returned card is what the state now holds for this message.
      var fresh = buildMessage(replaced, list);
      var hadFocus = node.contains(document.activeElement) || document.activeElement === document.body;
      node.replaceWith(fresh);
      setCached(list, message.id, messageKey(replaced), fresh);
      if (hadFocus) focusMessage(fresh);
      applyIfNewer(result.seq, result.json.state);
    }, function (error) {
      node.removeAttribute('aria-busy');
      fail(error);
    });
  }

  function guarded(button, run) {
    button.addEventListener('click', function () {
      if (busy) return;
      busy = true;
      button.setAttribute('aria-disabled', 'true');
      run().catch(fail).then(function () {
        busy = false;
        button.removeAttribute('aria-disabled');
      });
    });
  }
  function step(kind) {
    return function () {
      return request('POST', '/clock', { as: state ? state.me.userId : who, step: kind }).then(function (r) { applyIfNewer(r.seq, r.json.state); });
    };
  }
  guarded(el('step-day'), step('day'));
  guarded(el('step-week'), step('week'));
  guarded(el('step-next'), step('next'));

  el('lang').addEventListener('change', function (event) {
    var locale = event.target.value;
    request('POST', '/locale', { as: state ? state.me.userId : who, locale: locale })
      .then(function (r) { applyIfNewer(r.seq, r.json.state); })
      .catch(function (error) { if (state) event.target.value = state.locale; fail(error); });
  });

  el('who').addEventListener('change', function (event) {
    who = event.target.value;
    remember(who);
    refresh();
  });
  window.addEventListener('hashchange', function () {
    var next = initialWho();
    if (next && next !== who) { who = next; refresh(); }
  });

  el('command').addEventListener('submit', function (event) {
    event.preventDefault();
    var input = el('command-text');
    var text = input.value.trim().replace(/^\/?sparring\b\s*/i, '');
    if (!state) return;
    var userId = state.me.userId;
    request('POST', '/command', { as: userId, text: text }).then(function (r) {
      input.value = '';
      var at = (r.json.state && r.json.state.now) || demoNow();
      localsOf(userId).push({ id: 'reply-' + (++localSeq), at: at, card: r.json.reply.card, ephemeral: true });
      if (r.json.state) applyIfNewer(r.seq, r.json.state);
      if (state && state.me.userId === userId) renderChat(true);
    }, fail);
  });

  // ---- Polling ------------------------------------------------------------------------------

  function refresh() {
    return request('GET', stateUrl()).then(function (r) { applyIfNewer(r.seq, r.json); }, fail);
  }
  function poll() {
    var next = function () { setTimeout(poll, POLL_MS); };
    if (document.hidden) { next(); return; }
    refresh().then(next, next);
  }
  if (!renderer) fail(new ApiError('The Adaptive Cards renderer (/playground/adaptivecards.js) did not load.'));
  refresh().then(function () { setTimeout(poll, POLL_MS); });
})();
`;

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
<title>${attr(FALLBACK.title)}</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1><span id="title-text">${attr(FALLBACK.title)}</span> <span class="team" id="team-name"></span></h1>
  <div class="clock" role="group" aria-labelledby="clock-label">
    <span class="label" id="clock-label">${attr(FALLBACK.clock)}</span>
    <time id="now" aria-live="polite"></time>
    <button type="button" class="btn" id="step-day">${attr(FALLBACK.nextDay)}</button>
    <button type="button" class="btn" id="step-week">${attr(FALLBACK.nextWeek)}</button>
    <button type="button" class="btn primary" id="step-next">${attr(FALLBACK.nextOccurrence)}</button>
  </div>
  <div class="field">
    <label for="who" id="who-label">${attr(FALLBACK.whoAmI)}</label>
    <select id="who"></select>
  </div>
  <div class="field">
    <label for="lang" id="lang-label">${attr(FALLBACK.language)}</label>
    <select id="lang"></select>
  </div>
</header>
<main>
  <section class="pane" id="chat" aria-labelledby="chat-title">
    <h2 id="chat-title">${attr(FALLBACK.chat)}</h2>
    <p class="empty" id="chat-empty">${attr(FALLBACK.noMessages)}</p>
    <div class="log" id="chat-log" role="log" aria-live="polite" aria-labelledby="chat-title" tabindex="0"></div>
    <form class="command" id="command">
      <label for="command-text" id="command-label">${attr(FALLBACK.commandLabel)}</label>
      <div class="row">
        <span class="prefix" aria-hidden="true">/sparring</span>
        <input type="text" id="command-text" name="text" autocomplete="off" spellcheck="false" placeholder="${attr(FALLBACK.commandPlaceholder)}">
        <button type="submit" class="btn primary" id="command-send">${attr(FALLBACK.send)}</button>
      </div>
    </form>
  </section>
  <section class="pane" id="channel" aria-labelledby="channel-title">
    <h2 id="channel-title">${attr(FALLBACK.channel)}</h2>
    <p class="empty" id="channel-empty">${attr(FALLBACK.noMessages)}</p>
    <div class="log" id="channel-log" role="log" aria-live="polite" aria-labelledby="channel-title" tabindex="0"></div>
  </section>
  <section class="pane" id="mails" aria-labelledby="mails-title">
    <h2 id="mails-title">${attr(FALLBACK.mails)}</h2>
    <p class="empty" id="mail-empty">${attr(FALLBACK.noMails)}</p>
    <div class="log" id="mail-log" role="log" aria-live="polite" aria-labelledby="mails-title" tabindex="0"></div>
  </section>
</main>
<script type="application/json" id="playground-config">${scriptJson(config)}</script>
<script src="${attr(scriptSrc)}"></script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
