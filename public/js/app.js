// 救助督办: small progressive enhancements. Every page works without this file.
(function () {
  'use strict';

  // Ctrl+Enter (or Cmd+Enter) submits the form being typed in.
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      var form = e.target && e.target.form;
      if (form) {
        e.preventDefault();
        if (form.requestSubmit) form.requestSubmit();
        else form.submit();
      }
    }
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
    }, null, function (n) {
      // beside the submit button too: on a narrow screen the panel is below the form
      var hint = document.getElementById('repeat-hint');
      if (!hint) return;
      hint.hidden = n === 0;
      hint.querySelector('[data-count]').textContent = String(n);
    });
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
    findRepeats();
  }
})();
