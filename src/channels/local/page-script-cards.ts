import { hostConfigScript } from '../../cards/browser/host-config.ts';

/**
 * The page's script, first part: its configuration, the JSON API, and drawing cards with the
 * official Adaptive Cards renderer. Plain ES2019 without template literals, so it can sit in a
 * TypeScript string; page-script-panes.ts and page-script-actions.ts continue it inside the same function.
 */
export const SCRIPT_CARDS = String.raw`
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

`;
