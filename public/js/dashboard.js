// Draws the dashboard's charts from the figures the server put in #dash[data-json].
(function () {
  'use strict';
  var el = document.getElementById('dash');
  if (!el || !window.Chart) return;
  var d = JSON.parse(el.getAttribute('data-json'));
  function bar(id, labels, values, horizontal) {
    var canvas = document.getElementById(id);
    if (!canvas) return;
    new window.Chart(canvas, {
      type: 'bar',
      data: { labels: labels, datasets: [{ data: values, backgroundColor: '#0b5cab' }] },
      options: { indexAxis: horizontal ? 'y' : 'x', plugins: { legend: { display: false } }, animation: false, responsive: true },
    });
  }
  bar('c-township', d.byTownship.map(function (x) { return x.name; }), d.byTownship.map(function (x) { return x.n; }), true);
  bar('c-month', d.byMonth.map(function (x) { return x.month; }), d.byMonth.map(function (x) { return x.n; }));
  bar('c-kind', d.byKind.map(function (x) { return x.label; }), d.byKind.map(function (x) { return x.n; }));
  bar('c-outcome', d.outcomes.map(function (x) { return x.label; }), d.outcomes.map(function (x) { return x.n; }));
})();
