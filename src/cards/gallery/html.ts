/**
 * The card gallery: one static page showing every card in every locale, the Adaptive Card (as
 * Teams draws it, by the official renderer in the browser) beside the Slack version as text.
 * Pure: the page's HTML from already-rendered cards; write.ts renders the cards and writes it.
 *
 * The page honours `?locale=da` and `?card=practice-prompt` to show only some cards, and sets
 * `document.body.dataset.rendered` to the number of cards drawn once it is done; a card that
 * fails to draw is reported with console.error (the gallery's browser test counts those).
 */

import { escapeHtml, jsonForScript } from '../browser/escape.ts';
import { hostConfigScript } from '../browser/host-config.ts';

export interface GalleryEntry {
  name: string;
  locale: string;
  adaptive: object;
  slack: { text: string; blocks: unknown[]; modals: Record<string, unknown> };
  slackText: string;
}

export interface GalleryOptions {
  /** URL of adaptivecards.min.js, relative to the page. */
  scriptSrc: string;
  title: string;
}

export { escapeHtml, jsonForScript };

export const sectionId = (name: string, locale: string): string => `card-${name}-${locale}`;

function languageName(locale: string): string {
  try {
    const name = new Intl.DisplayNames([locale], { type: 'language' }).of(locale);
    return name ? name.charAt(0).toLocaleUpperCase(locale) + name.slice(1) : locale;
  } catch {
    return locale;
  }
}

const unique = (values: string[]): string[] => [...new Set(values)];

function contents(entries: GalleryEntry[]): string {
  const names = unique(entries.map((e) => e.name));
  const locales = unique(entries.map((e) => e.locale));
  const has = new Set(entries.map((e) => sectionId(e.name, e.locale)));
  const items = names
    .map((name) => {
      const links = locales
        .filter((l) => has.has(sectionId(name, l)))
        .map((l) => `<a href="#${escapeHtml(sectionId(name, l))}" data-locale="${escapeHtml(l)}" aria-label="${escapeHtml(`${name}, ${languageName(l)}`)}">${escapeHtml(l)}</a>`)
        .join(' ');
      return `<li data-card="${escapeHtml(name)}"><code>${escapeHtml(name)}</code> <span class="links">${links}</span></li>`;
    })
    .join('\n');
  const filters = [`<a href="?">All</a>`, ...locales.map((l) => `<a href="?locale=${encodeURIComponent(l)}" lang="${escapeHtml(l)}">${escapeHtml(languageName(l))}</a>`)].join(' · ');
  return `<nav class="toc" aria-labelledby="toc-title">
<h2 id="toc-title">Cards</h2>
<p class="filters">Show: ${filters}</p>
<ol>
${items}
</ol>
</nav>`;
}

function section(entry: GalleryEntry): string {
  const id = sectionId(entry.name, entry.locale);
  const name = escapeHtml(entry.name);
  const locale = escapeHtml(entry.locale);
  const modals = Object.keys(entry.slack.modals).length;
  return `<section id="${escapeHtml(id)}" class="card" lang="${locale}" data-card="${name}" data-locale="${locale}" aria-labelledby="${escapeHtml(id)}-title">
<h2 id="${escapeHtml(id)}-title"><code lang="en">${name}</code> <span class="locale">${escapeHtml(languageName(entry.locale))} (${locale})</span></h2>
<div class="channels">
<figure class="teams">
<figcaption lang="en">Teams — Adaptive Card</figcaption>
<div class="ac-target" data-card="${name}" data-locale="${locale}"></div>
<script type="application/json" id="${escapeHtml(id)}-json">${jsonForScript(entry.adaptive)}</script>
<details class="json"><summary lang="en">Adaptive Card JSON</summary><pre class="ac-json-text"></pre></details>
</figure>
<figure class="slack">
<figcaption lang="en">Slack — message${modals ? ` and ${modals === 1 ? 'its modal' : `its ${modals} modals`}` : ''} <span class="notification">(notification: <q lang="${locale}">${escapeHtml(entry.slack.text)}</q>)</span></figcaption>
<pre class="slack-text">${escapeHtml(entry.slackText)}</pre>
<details class="json"><summary lang="en">Block Kit JSON</summary><pre>${escapeHtml(JSON.stringify(entry.slack, null, 2))}</pre></details>
</figure>
</div>
</section>`;
}

const STYLE = `
:root { color-scheme: light; --ink: #1b1b1b; --quiet: #505050; --line: #c8c8c8; --page: #f3f3f3; --accent: #4f52b2; --card: 420px; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
html { background: var(--page); color: var(--ink); }
body { margin: 0; padding: 24px; font: 15px/1.45 "Segoe UI", system-ui, -apple-system, "Helvetica Neue", Arial, sans-serif; }
a { color: #3b3e9a; }
a:focus-visible, summary:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
h1 { margin: 0 0 4px; font-size: 26px; }
header > p { margin: 0 0 16px; color: var(--quiet); max-width: 70ch; }
.toc { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin-bottom: 32px; max-width: calc(2 * var(--card) + 24px); }
.toc h2 { font-size: 18px; margin: 0 0 4px; }
.toc .filters { margin: 0 0 8px; }
.toc ol { margin: 0; padding: 0; list-style: none; columns: 3 250px; column-gap: 24px; }
.toc li { display: flex; gap: 8px; padding: 2px 0; break-inside: avoid; }
.toc li code { flex: 1; font-size: 14px; }
.toc .links { display: flex; gap: 8px; }
section.card { margin: 0 0 40px; padding: 16px 8px 8px; border-top: 2px solid var(--line); }
section.card h2 { font-size: 19px; margin: 0 0 12px; }
section.card h2 .locale { font-weight: normal; color: var(--quiet); margin-left: 6px; }
.channels { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
figure { margin: 0; width: var(--card); max-width: 100%; }
figcaption { font-size: 13px; font-weight: 600; color: var(--quiet); margin: 0 0 6px; }
figcaption .notification { font-weight: normal; }
.ac-target { background: #fff; border: 1px solid var(--line); border-radius: 8px; overflow: hidden; box-shadow: 0 1px 2px rgb(0 0 0 / 8%); }
.ac-target.failed { padding: 12px; color: #a4262c; white-space: pre-wrap; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; }
pre { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; font: 13px/1.5 ui-monospace, "Cascadia Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace; }
.slack-text { background: #fff; color: var(--ink); border: 1px solid var(--line); border-left: 4px solid #611f69; border-radius: 8px; padding: 12px 14px; }
details.json { margin-top: 6px; font-size: 13px; }
details.json summary { cursor: pointer; color: var(--quiet); }
details.json pre { max-height: 420px; overflow: auto; white-space: pre; background: #fff; border: 1px solid var(--line); padding: 8px; font-size: 12px; }

/* What adaptivecards.css would give, in Teams' light look, so the page needs nothing but the renderer. */
.ac-adaptiveCard { outline: none; }
.ac-textBlock p { margin: 0 0 6px; }
.ac-textBlock ul, .ac-textBlock ol { margin: 0; padding-left: 1.4em; }
.ac-pushButton { font: inherit; font-size: 14px; font-weight: 600; min-height: 32px; padding: 5px 12px; border: 1px solid #c8c8c8; border-radius: 4px; background: #fff; color: #242424; cursor: pointer; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.ac-pushButton:hover { background: #f0f0f0; }
.ac-pushButton:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
.ac-pushButton.style-positive { background: #5b5fc7; border-color: #5b5fc7; color: #fff; }
.ac-pushButton.style-positive:hover { background: #4f52b2; }
.ac-pushButton.style-destructive { color: #a4262c; border-color: #a4262c; }
.ac-input { font: inherit; font-size: 14px; color: #242424; }
.ac-input.ac-textInput, .ac-input.ac-numberInput, .ac-input.ac-dateInput, .ac-input.ac-timeInput, .ac-input.ac-multichoiceInput { width: 100%; min-height: 32px; padding: 5px 8px; border: 1px solid #c8c8c8; border-bottom-color: #616161; border-radius: 4px; background: #fff; }
.ac-input.ac-textInput.ac-multiline { min-height: 72px; resize: vertical; }
.ac-input:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
.ac-input.ac-input-validation-failed { border-color: #a4262c; }
.ac-input.ac-choiceSetInput-expanded input, .ac-input.ac-toggleInput input { accent-color: var(--accent); }
`;

/** Runs in the page: filters by query, draws every visible and hidden card, reports failures. */
const SCRIPT = String.raw`
(function () {
  'use strict';
  var params = new URLSearchParams(location.search);
  var only = { locale: params.get('locale'), card: params.get('card') };
  Array.prototype.forEach.call(document.querySelectorAll('[data-locale], [data-card]'), function (el) {
    if (el.classList.contains('ac-target')) return;
    var locale = el.getAttribute('data-locale');
    var card = el.getAttribute('data-card');
    if ((only.locale && locale && locale !== only.locale) || (only.card && card && card !== only.card)) el.hidden = true;
  });

  if (typeof AdaptiveCards === 'undefined') {
    console.error('The Adaptive Cards renderer (adaptivecards.min.js) did not load; no card can be drawn.');
    document.body.dataset.rendered = '0';
    return;
  }

  function escapeHtml(text) {
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  }
  function inline(text) {
    return escapeHtml(text)
      .replace(/\[([^\]]+)\]\(((?:https?:|mailto:)[^)\s]+)\)/g, '<a href="$2">$1</a>')
      .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
      .replace(/(^|[\s(])_(?!\s)(.+?)_(?=$|[\s).,;:!?])/g, '$1<em>$2</em>')
      .replace(/(^|[\s(])\*(?![\s*])(.+?)\*(?=$|[\s).,;:!?])/g, '$1<em>$2</em>');
  }
  // The Markdown subset Teams shows in a TextBlock: paragraphs, line breaks, lists, bold, italics, links.
  function markdown(text) {
    var html = [];
    text.split(/\n{2,}/).forEach(function (paragraph) {
      var lines = paragraph.split('\n');
      var list = null;
      var open = [];
      function flushText() { if (open.length) { html.push('<p>' + open.join('<br>') + '</p>'); open = []; } }
      function flushList() {
        if (!list) return;
        var start = list.tag === 'ol' && list.start !== 1 ? ' start="' + list.start + '"' : '';
        html.push('<' + list.tag + start + '>' + list.items.join('') + '</' + list.tag + '>');
        list = null;
      }
      lines.forEach(function (line) {
        var bullet = /^\s*[-*+]\s+(.*)$/.exec(line);
        var number = /^\s*(\d+)\.\s+(.*)$/.exec(line);
        if (bullet || number) {
          var tag = bullet ? 'ul' : 'ol';
          flushText();
          if (list && list.tag !== tag) flushList();
          // A numbered item keeps its number, as Teams shows it: "3. …" alone in a TextBlock is item 3.
          if (!list) list = { tag: tag, items: [], start: number ? Number(number[1]) : 1 };
          list.items.push('<li>' + inline(bullet ? bullet[1] : number[2]) + '</li>');
        } else {
          flushList();
          open.push(inline(line));
        }
      });
      flushText();
      flushList();
    });
    return html.join('');
  }
  AdaptiveCards.AdaptiveCard.onProcessMarkdown = function (text, result) {
    result.outputHtml = markdown(text);
    result.didProcess = true;
  };

  var hostConfig = ${hostConfigScript('AdaptiveCards')};

  var rendered = 0;
  Array.prototype.forEach.call(document.querySelectorAll('.ac-target'), function (target) {
    var name = target.getAttribute('data-card');
    var locale = target.getAttribute('data-locale');
    var label = 'card ' + name + ' (' + locale + ')';
    try {
      var source = document.getElementById('card-' + name + '-' + locale + '-json');
      if (!source) throw new Error('its JSON is missing from the page');
      var json = JSON.parse(source.textContent);
      var shown = target.parentNode.querySelector('.ac-json-text');
      if (shown) shown.textContent = JSON.stringify(json, null, 2);

      var card = new AdaptiveCards.AdaptiveCard();
      card.hostConfig = hostConfig;
      card.onExecuteAction = function (action) {
        try {
          console.log('[' + label + '] action ' + (action.verb || action.title || action.getJsonTypeName()) + ' ' + JSON.stringify(action.data === undefined ? null : action.data));
        } catch (e) {
          console.log('[' + label + '] action', action && action.title);
        }
      };
      var context = new AdaptiveCards.SerializationContext();
      card.parse(json, context);
      var problems = [];
      for (var i = 0; i < context.eventCount; i++) {
        var event = context.getEventAt(i);
        if (event) problems.push(event.message);
      }
      if (problems.length) throw new Error('the renderer did not accept the card: ' + problems.join('; '));
      var element = card.render();
      if (!element) throw new Error('the renderer drew nothing');
      target.appendChild(element);
      rendered++;
    } catch (error) {
      console.error(label + ' failed to render: ' + (error && error.message ? error.message : String(error)));
      target.classList.add('failed');
      target.textContent = 'This card could not be drawn: ' + (error && error.message ? error.message : String(error));
    }
  });
  document.body.dataset.rendered = String(rendered);
})();
`;

/** The gallery page for rendered cards, in the order given. */
export function galleryHtml(entries: GalleryEntry[], options: GalleryOptions): string {
  const title = escapeHtml(options.title);
  const locales = unique(entries.map((e) => e.locale));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${title}</h1>
<p>${entries.length} cards: ${unique(entries.map((e) => e.name)).length} cards in ${locales.length} languages (${locales.map(escapeHtml).join(', ')}). Each shows the Adaptive Card as Teams draws it, beside the Slack message and the modals its buttons open, as text. Buttons only log to the browser console.</p>
${contents(entries)}
</header>
<main>
${entries.map(section).join('\n')}
</main>
<script src="${escapeHtml(options.scriptSrc)}"></script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
