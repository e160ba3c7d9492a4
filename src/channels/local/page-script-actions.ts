/** The page's script, last part: card clicks, the /sparring box, the clock and polling; it closes the function page-script-cards.ts opens. */
export const SCRIPT_ACTIONS = String.raw`
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
