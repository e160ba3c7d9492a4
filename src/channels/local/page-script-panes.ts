/** The page's script, second part: drawing the panes (chat, notices, mails) and the header from the state. */
// biome-ignore lint/complexity/noUselessStringRaw: raw like the script's other parts, so a backslash added later reaches the browser as written.
export const SCRIPT_PANES = String.raw`
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
    setText(el('first-step'), t('firstStep'));
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

`;
