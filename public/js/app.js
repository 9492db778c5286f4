// 救助督办: small progressive enhancements. Every page works without this file.
(function () {
  'use strict';

  // Enter in a form: Ctrl+Enter (or Cmd+Enter) submits the form being typed in. Plain Enter in a
  // field of a form that saves something does nothing (an operator typing a call presses it out of
  // habit, and a half-typed case was saved); in a textarea it is a new line. Search forms (GET) and
  // the forms marked data-enter-submits (sign-in, the status lookup) keep Enter. The input method's
  // own Enter (choosing the characters of a Chinese word) is never touched.
  var BUTTONS = /^(submit|button|reset|image)$/i;
  document.addEventListener('keydown', function (e) {
    if (e.key !== 'Enter' || e.isComposing || e.keyCode === 229) return;
    var t = e.target;
    var form = t && t.form;
    if (!form) return;
    if (e.ctrlKey || e.metaKey) {
      e.preventDefault();
      if (form.requestSubmit) form.requestSubmit();
      else form.submit();
      return;
    }
    if (t.tagName !== 'INPUT' || BUTTONS.test(t.type)) return;
    if ((form.getAttribute('method') || 'get').toLowerCase() !== 'post' || form.hasAttribute('data-enter-submits')) return;
    e.preventDefault();
  });

  // After a refused submission: the cursor goes to the first wrong field, and the summary's links
  // go to their fields (a group of boxes has no element of its own id: its first box).
  function shown(el) {
    return !!(el && el.type !== 'hidden' && (el.offsetParent !== null || el.getClientRects().length));
  }
  function fieldNamed(name, scope) {
    var byId = document.getElementById(name);
    if (byId && /^(INPUT|SELECT|TEXTAREA)$/.test(byId.tagName) && shown(byId) && (!scope || scope.contains(byId))) return byId;
    var root = scope || document;
    var named = root.querySelectorAll('[name]');
    for (var i = 0; i < named.length; i++) if (named[i].name === name && shown(named[i])) return named[i];
    return null;
  }
  function firstWrongField() {
    var marks = document.querySelectorAll('main [aria-invalid="true"], main .field-error[id^="err-"]');
    for (var i = 0; i < marks.length; i++) {
      var m = marks[i];
      var el = m.classList.contains('field-error') ? fieldNamed(m.id.slice(4), m.closest('form')) : m;
      if (shown(el)) return el;
    }
    return null;
  }
  var wrong = firstWrongField();
  if (wrong) {
    wrong.focus();
    if (wrong.select && /^(text|search|tel|email|number)$/i.test(wrong.type || '')) wrong.select();
  }
  // the summary in the order of the form, as the operator reads it from the top
  document.querySelectorAll('.error-summary .error-list').forEach(function (list) {
    var items = Array.prototype.slice.call(list.children);
    var at = items.map(function (li) {
      var a = li.querySelector('a[data-field]');
      return { li: li, el: a ? fieldNamed(a.getAttribute('data-field'), null) : null };
    });
    at.sort(function (x, y) {
      if (!x.el || !y.el) return x.el ? -1 : y.el ? 1 : 0;
      return x.el.compareDocumentPosition(y.el) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
    });
    at.forEach(function (x) {
      list.appendChild(x.li);
    });
  });
  document.querySelectorAll('.error-summary a[data-field]').forEach(function (a) {
    a.addEventListener('click', function (e) {
      var el = fieldNamed(a.getAttribute('data-field'), null);
      if (!el) return;
      e.preventDefault();
      el.focus();
      if (el.scrollIntoView) el.scrollIntoView({ block: 'center' });
    });
  });

  // Drafts of a form, kept in this browser tab only (sessionStorage: not other tabs, not after the
  // tab is closed, never the server or localStorage), until the case is saved or the user signs out.
  var DRAFT_PREFIX = 'duban.draft.';
  function clearDrafts(except) {
    try {
      for (var i = sessionStorage.length - 1; i >= 0; i--) {
        var k = sessionStorage.key(i);
        if (k && k.indexOf(DRAFT_PREFIX) === 0 && k !== except) sessionStorage.removeItem(k);
      }
    } catch (err) {
      /* storage switched off: nothing kept, nothing to clear */
    }
  }
  if (document.body.hasAttribute('data-draft-saved')) clearDrafts(null);
  document.querySelectorAll('form[action="/logout"]').forEach(function (f) {
    f.addEventListener('submit', function () {
      clearDrafts(null);
    });
  });

  // 显示密码: the typed passwords of this form in clear, while ticked (ASVS 4.0.3 V2.1.12).
  document.querySelectorAll('[data-show-passwords]').forEach(function (box) {
    box.addEventListener('change', function () {
      box.form.querySelectorAll('input[autocomplete$="password"]').forEach(function (input) {
        input.type = box.checked ? 'text' : 'password';
      });
    });
  });

  // A double click or a second Ctrl+Enter must not log the same call twice.
  document.querySelectorAll('form[method="post"]').forEach(function (form) {
    form.addEventListener('submit', function (e) {
      if (form.dataset.submitting === '1') {
        e.preventDefault();
        return;
      }
      form.dataset.submitting = '1';
      form.querySelectorAll('button[type="submit"]').forEach(function (b) {
        b.setAttribute('aria-disabled', 'true');
        b.classList.add('busy');
      });
    });
  });

  // Back to a page from the browser's cache: its forms may be sent again.
  window.addEventListener('pageshow', function () {
    document.querySelectorAll('form[data-submitting]').forEach(function (form) {
      delete form.dataset.submitting;
      form.querySelectorAll('button.busy').forEach(function (b) {
        b.classList.remove('busy');
        b.removeAttribute('aria-disabled');
      });
    });
  });

  // Search forms send only the filters that are set, so the address stays short and shareable.
  document.querySelectorAll('form[method="get"]').forEach(function (form) {
    form.addEventListener('submit', function () {
      form.querySelectorAll('input, select').forEach(function (el) {
        if (el.name && !el.value) el.disabled = true;
      });
    });
  });

  // The menu button of narrow screens (a real button: Enter and Space work; Escape closes it).
  var toggle = document.querySelector('.menu-toggle');
  if (toggle) {
    var bar = toggle.closest('.topbar');
    var setOpen = function (open) {
      bar.classList.toggle('menu-open', open);
      toggle.setAttribute('aria-expanded', String(open));
    };
    toggle.addEventListener('click', function () {
      setOpen(!bar.classList.contains('menu-open'));
    });
    bar.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' && bar.classList.contains('menu-open')) {
        setOpen(false);
        toggle.focus();
      }
    });
  }

  // Bulk forms: a "select all" box in the header of the list whose rows join the form.
  document.querySelectorAll('form.bulk-form[id]').forEach(function (form) {
    var boxes = document.querySelectorAll('input[type="checkbox"][name="caseNos"][form="' + form.id + '"]');
    if (!boxes.length) return;
    var th = boxes[0].closest('table').querySelector('th.pick');
    if (!th) return;
    var label = document.createElement('label');
    label.className = 'choice pick-all';
    var all = document.createElement('input');
    all.type = 'checkbox';
    label.appendChild(all);
    label.appendChild(document.createTextNode('全选'));
    th.textContent = '';
    th.appendChild(label);
    all.addEventListener('change', function () {
      boxes.forEach(function (b) {
        b.checked = all.checked;
      });
    });
  });

  // A table wider than the screen scrolls in its own box: that box takes the focus then, so the
  // keyboard can scroll it too, and is named after its table's heading.
  function tableName(wrap) {
    var caption = wrap.querySelector('caption');
    if (caption) return caption.textContent;
    for (var el = wrap.previousElementSibling; el; el = el.previousElementSibling) {
      if (/^H[1-3]$/.test(el.tagName)) return el.textContent;
    }
    var card = wrap.closest('section, .card');
    var h = card && card.querySelector('h1, h2');
    return h ? h.textContent : '表格';
  }
  function focusableWideTables() {
    document.querySelectorAll('.table-wrap').forEach(function (wrap) {
      var wide = wrap.scrollWidth > wrap.clientWidth + 1;
      if (wide && !wrap.hasAttribute('tabindex')) {
        wrap.setAttribute('tabindex', '0');
        wrap.setAttribute('role', 'region');
        wrap.setAttribute('aria-label', tableName(wrap).trim().replace(/\s+/g, ' ') + '（可左右滚动）');
      } else if (!wide && wrap.getAttribute('role') === 'region') {
        wrap.removeAttribute('tabindex');
        wrap.removeAttribute('role');
        wrap.removeAttribute('aria-label');
      }
    });
  }
  focusableWideTables();
  var resizeTimer = null;
  window.addEventListener('resize', function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(focusableWideTables, 200);
  });

  var intake = document.getElementById('intake-form');
  if (!intake) return;

  // Anonymous: the reporter's details are not asked for (and not stored).
  function syncReporter() {
    var anon = intake.querySelector('input[name="reporterType"][value="anonymous"]');
    var hidden = anon && anon.checked;
    intake.querySelectorAll('.reporter-detail').forEach(function (el) {
      el.hidden = hidden;
    });
  }
  intake.querySelectorAll('input[name="reporterType"]').forEach(function (r) {
    r.addEventListener('change', syncReporter);
  });
  syncReporter();

  // Villages of the chosen township only.
  var township = document.getElementById('townshipId');
  var village = document.getElementById('villageId');
  function syncVillages() {
    var t = township.value;
    village.querySelectorAll('optgroup').forEach(function (g) {
      var show = !t || g.getAttribute('data-township') === t;
      g.hidden = !show;
      g.disabled = !show;
    });
    var sel = village.options[village.selectedIndex];
    if (sel && sel.value && t && sel.getAttribute('data-township') !== t) village.value = '';
  }
  if (township && village) {
    township.addEventListener('change', syncVillages);
    syncVillages();
  }

  // 当场解答 is for consultations: its box and button only while the kind is 政策咨询.
  var kind = document.getElementById('kind');
  var answerStep = document.getElementById('answer-step');
  var answerButton = document.getElementById('submit-answer');
  function syncKind() {
    var consultation = kind && kind.value === 'consultation';
    var answerErr = document.getElementById('err-answer');
    if (answerStep) answerStep.hidden = !consultation && !answerErr;
    if (answerButton) answerButton.hidden = !consultation;
  }
  if (kind) {
    kind.addEventListener('change', syncKind);
    syncKind();
  }

  // The draft of the call being typed, in this tab (see clearDrafts): saved at every change,
  // restored when the form is opened again (a reload, or the sign-in after the session ended).
  var draftKey = intake.getAttribute('data-draft') ? DRAFT_PREFIX + intake.getAttribute('data-draft') : null;
  var SKIP = { _csrf: 1, _next: 1, step: 1 };
  function draftFields() {
    var fields = {};
    Array.prototype.forEach.call(intake.elements, function (el) {
      if (!el.name || SKIP[el.name] || BUTTONS.test(el.type || '')) return;
      if (el.type === 'checkbox' || el.type === 'radio') {
        if (!fields[el.name]) fields[el.name] = [];
        if (el.checked) fields[el.name].push(el.value);
      } else {
        fields[el.name] = el.value;
      }
    });
    return fields;
  }
  function saveDraft() {
    if (!draftKey) return;
    try {
      sessionStorage.setItem(draftKey, JSON.stringify({ v: 1, fields: draftFields() }));
    } catch (err) {
      /* storage full or switched off: the form still works */
    }
  }
  function readDraft() {
    try {
      var d = JSON.parse(sessionStorage.getItem(draftKey) || 'null');
      return d && d.v === 1 && d.fields ? d.fields : null;
    } catch (err) {
      return null;
    }
  }
  function hasContent(fields) {
    return ['reporterName', 'reporterPhone', 'reporterIdNumber', 'reporterAddress', 'subjectName', 'content', 'answer'].some(function (n) {
      return typeof fields[n] === 'string' && fields[n].trim() !== '';
    });
  }
  function restoreDraft(fields) {
    Array.prototype.forEach.call(intake.elements, function (el) {
      if (!el.name || SKIP[el.name] || !(el.name in fields) || BUTTONS.test(el.type || '')) return;
      var v = fields[el.name];
      if (el.type === 'checkbox' || el.type === 'radio') el.checked = Array.isArray(v) && v.indexOf(el.value) >= 0;
      else if (typeof v === 'string') el.value = v;
    });
  }
  if (draftKey) {
    // another user's draft in this tab (a shared desk) is not theirs to see
    clearDrafts(draftKey);
    var saved = intake.hasAttribute('data-fresh') ? readDraft() : null;
    if (saved && hasContent(saved)) {
      restoreDraft(saved);
      document.getElementById('draft-restored').hidden = false;
    }
    intake.addEventListener('input', saveDraft);
    intake.addEventListener('change', saveDraft);
    // a form drawn again with its messages holds what was typed: that is the draft now
    if (!intake.hasAttribute('data-fresh')) saveDraft();
    document.getElementById('draft-discard').addEventListener('click', function () {
      try {
        sessionStorage.removeItem(draftKey);
      } catch (err) {
        /* nothing kept */
      }
      window.location.reload();
    });
  }
  syncReporter();
  if (township && village) syncVillages();
  syncKind();

  // Keep-alive: while the form has the focus or is typed in, the session is kept from its idle
  // expiry (the absolute lifetime still ends it). If it ended anyway, say so: the draft is kept.
  var keepAliveMs = Number(intake.getAttribute('data-keepalive-ms')) || 0;
  if (keepAliveMs > 0 && window.fetch) {
    var lastActivity = 0;
    var lastPing = Date.now();
    var csrf = intake.querySelector('input[name="_csrf"]');
    var markActive = function () {
      lastActivity = Date.now();
    };
    ['input', 'keydown', 'focusin', 'change'].forEach(function (type) {
      intake.addEventListener(type, markActive);
    });
    var pinger = setInterval(function () {
      var focused = document.hasFocus() && intake.contains(document.activeElement);
      if (!focused && lastActivity <= lastPing) return;
      lastPing = Date.now();
      fetch('/session/keep-alive', { method: 'POST', credentials: 'same-origin', redirect: 'manual', headers: { 'X-CSRF-Token': csrf ? csrf.value : '' } })
        .then(function (r) {
          if (r.status === 204) return;
          clearInterval(pinger);
          document.getElementById('session-expired').hidden = false;
        })
        .catch(function () {
          /* offline for a moment: the next ping tries again */
        });
    }, keepAliveMs);
  }

  /**
   * Fills a side panel's list from a JSON endpoint answering {items}: each item becomes an <li>
   * starting with a link to its case, then what `fill(li, item)` adds.
   */
  function showCases(box, url, fill, emptyText, done) {
    // only the answer to the latest question is shown, whatever order the answers arrive in
    var asked = (box.asked = (box.asked || 0) + 1);
    var request = url
      ? fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' }).then(function (r) {
          return r.ok ? r.json() : { items: [] };
        })
      : Promise.resolve({ items: [] });
    request
      .then(function (data) {
        if (asked !== box.asked) return;
        var list = box.querySelector('ul.matches');
        var empty = box.querySelector('[data-empty]');
        list.textContent = '';
        data.items.forEach(function (m) {
          var li = document.createElement('li');
          var a = document.createElement('a');
          a.href = '/cases/' + encodeURIComponent(m.caseNo);
          a.target = '_blank';
          a.textContent = m.caseNo;
          li.appendChild(a);
          fill(li, m);
          list.appendChild(li);
        });
        empty.hidden = data.items.length > 0;
        if (!data.items.length && emptyText) empty.textContent = emptyText;
        box.classList.toggle('has-matches', data.items.length > 0);
        if (done) done(data.items.length);
      })
      .catch(function () {});
  }
  function line(li, cls, text) {
    li.appendChild(document.createElement('br'));
    var span = document.createElement('span');
    span.className = cls;
    span.textContent = text;
    li.appendChild(span);
  }

  // Earlier cases of the same person, beside the form.
  var panel = document.getElementById('person-matches');
  var phone = document.getElementById('reporterPhone');
  var idNumber = document.getElementById('reporterIdNumber');
  var timer = null;
  var lastQuery = '';
  function lookup() {
    var p = (phone.value || '').trim();
    var id = (idNumber.value || '').trim();
    if (p.length < 7 && id.length < 18) return;
    var q = 'phone=' + encodeURIComponent(p) + '&idNumber=' + encodeURIComponent(id);
    if (q === lastQuery) return;
    lastQuery = q;
    showCases(
      panel,
      '/cases/person-matches?' + q,
      function (li, m) {
        li.appendChild(document.createTextNode(' ' + m.receivedAtText + ' ' + m.kindLabel + ' · ' + m.statusLabel));
        line(li, 'muted', (m.reporterName || '') + '：' + m.excerpt);
      },
      '未找到此人以往的诉求。',
    );
  }
  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(lookup, 300);
  }
  if (panel && phone && idNumber) {
    phone.addEventListener('input', schedule);
    idNumber.addEventListener('input', schedule);
    phone.addEventListener('blur', lookup);
    idNumber.addEventListener('blur', lookup);
    // a restored draft: its person's earlier cases at once
    lookup();
  }

  // Likely repeats (重复件) of the intake being typed, within 180 days; one can be chosen so the
  // new case is saved as its repeat.
  var repeats = document.getElementById('likely-repeats');
  var repeatOf = document.getElementById('repeatOfCaseNo');
  var choice = document.getElementById('repeat-choice');
  var repeatTimer = null;
  var lastRepeatQuery = '';
  function field(id) {
    var el = document.getElementById(id);
    return el ? (el.value || '').trim() : '';
  }
  function choose(caseNo) {
    repeatOf.value = caseNo;
    choice.querySelector('[data-repeat-no]').textContent = caseNo;
    choice.hidden = !caseNo;
  }
  function findRepeats() {
    var content = field('content');
    var q =
      'phone=' + encodeURIComponent(field('reporterPhone')) +
      '&idNumber=' + encodeURIComponent(field('reporterIdNumber')) +
      '&subjectName=' + encodeURIComponent(field('subjectName')) +
      '&villageId=' + encodeURIComponent(field('villageId')) +
      '&content=' + encodeURIComponent(content.length >= 8 ? content : '');
    if (q === lastRepeatQuery) return;
    lastRepeatQuery = q;
    // nothing typed (any more): an empty list, not the last answer
    var url = /=[^&]/.test(q) ? '/repeats/likely?' + q + '&receivedAt=' + encodeURIComponent(field('receivedAt')) : null;
    showCases(repeats, url, function (li, m) {
      li.appendChild(document.createTextNode(' ' + m.receivedAtText + ' · ' + m.statusLabel));
      line(li, 'reasons', m.reasons.join('、') + (m.score !== null ? '（相似度 ' + Math.round(m.score * 100) + '%）' : ''));
      var facts = [];
      if (m.villageName) facts.push('村（社区）：' + m.villageName);
      if (m.subject) facts.push('被反映人：' + m.subject);
      if (facts.length) line(li, 'repeat-facts', facts.join(' '));
      line(li, 'muted', m.excerpt);
      li.appendChild(document.createElement('br'));
      var b = document.createElement('button');
      b.type = 'button';
      b.className = 'link-dark';
      b.textContent = '标为此件的重复件';
      b.addEventListener('click', function () {
        choose(m.caseNo);
      });
      li.appendChild(b);
      if (m.open) {
        // the caller is chasing this open case: log it there (催办), not as a new case
        var c = document.createElement('button');
        c.type = 'button';
        c.className = 'link-dark chase';
        c.textContent = '记为此件的催办';
        c.addEventListener('click', function () {
          chase(m.caseNo);
        });
        li.appendChild(document.createTextNode(' '));
        li.appendChild(c);
      }
    }, null, function (n) {
      // beside the submit button too: on a narrow screen the panel is below the form
      var hint = document.getElementById('repeat-hint');
      if (!hint) return;
      hint.hidden = n === 0;
      hint.querySelector('[data-count]').textContent = String(n);
    });
  }
  /** Posts a 催办 on that case with the call's channel and what was typed as its content. */
  function chase(caseNo) {
    var f = document.createElement('form');
    f.method = 'post';
    f.action = '/cases/' + encodeURIComponent(caseNo) + '/chase';
    f.hidden = true;
    var add = function (name, value) {
      var i = document.createElement('input');
      i.type = 'hidden';
      i.name = name;
      i.value = value;
      f.appendChild(i);
    };
    add('_csrf', intake.querySelector('input[name="_csrf"]').value);
    add('_next', '/cases/new');
    add('channel', field('channel'));
    add('note', field('content').slice(0, 1000));
    document.body.appendChild(f);
    f.submit();
  }
  function scheduleRepeats() {
    clearTimeout(repeatTimer);
    repeatTimer = setTimeout(findRepeats, 500);
  }
  if (repeats && repeatOf && choice) {
    ['reporterPhone', 'reporterIdNumber', 'subjectName', 'content'].forEach(function (id) {
      var el = document.getElementById(id);
      if (el) {
        el.addEventListener('input', scheduleRepeats);
        el.addEventListener('blur', findRepeats);
      }
    });
    var villageSelect = document.getElementById('villageId');
    if (villageSelect) villageSelect.addEventListener('change', findRepeats);
    document.getElementById('repeat-clear').addEventListener('click', function () {
      choose('');
    });
    if (repeatOf.value) choose(repeatOf.value);
    findRepeats();
  }
})();
