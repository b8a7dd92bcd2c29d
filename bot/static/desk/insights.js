/* The insights page for leads (/desk/insights/): figures from GET /desk/api/insights,
   drawn with Chart.js (served by the desk: vendor/), and the review queue of messages the
   bot could not answer (GET /desk/api/unanswered, POST /desk/api/unanswered/label).
   Every chart has its figures in a table too; text goes in with textContent only. */
(() => {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const API = '../api';
  const REASONS = {
    asked: 'Ba om rådgiver', unsure: 'Boten var usikker', personal_guidance: 'Trengte veiledning',
    crisis: 'Krise', sami: 'Samisk', unknown: 'Ukjent',
  };
  const LABELS = { intent: 'Eksisterende tema', new_intent: 'Nytt tema', out_of_scope: 'Utenfor tjenesten' };
  const COLOURS = ['#1d3a6e', '#2f7d4f', '#b35c00', '#7a3e9d', '#b3261e', '#4a5568', '#00708a', '#8a6d00'];
  const state = { days: 7, charts: [], intents: [] };

  function h(tag, attrs = {}, ...children) {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
      if (name === 'text') el.textContent = value;
      else el.setAttribute(name, value);
    }
    el.append(...children);
    return el;
  }

  const number = (n) => new Intl.NumberFormat('nb-NO').format(n);
  const share = (x) => (x === null || x === undefined ? '–' : `${Math.round(x * 100)} %`);
  const minutes = (s) => (s === null || s === undefined ? '–' : `${number(Math.round(s / 60))} min`);

  async function call(path, options = {}) {
    const reply = await fetch(`${API}/${path}`, {
      credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, ...options,
    });
    const body = reply.headers.get('content-type')?.includes('json') ? await reply.json() : null;
    return { status: reply.status, body };
  }

  function say(text, kind = 'info') {
    const el = $('insights-message');
    el.textContent = text;
    el.dataset.kind = kind;
    el.hidden = !text;
  }

  // ---- Key figures ---------------------------------------------------------------------
  function renderKey(d) {
    const s = d.satisfaction;
    const figures = [
      ['Samtaler', number(d.conversations)],
      ['Løst av boten alene', share(d.contained)],
      ['Sendt til rådgiver', number(d.handed_over)],
      ['Ventetid, median', minutes(d.waits.median_seconds)],
      ['Ventetid, 90 % innen', minutes(d.waits.p90_seconds)],
      ['Venter nå', number(d.waits.waiting_now)],
      ['Spørsmål lagt igjen', number(d.callbacks.left)],
      ['… av dem besvart', number(d.callbacks.answered)],
      ['«Nyttig»-svar: ja', share(s.answers.share_yes)],
      ['Vurdering av rådgiver (1–5)', s.counsellor.average === null ? '–' : String(s.counsellor.average).replace('.', ',')],
    ];
    $('insights-key').replaceChildren(...figures.map(([term, value]) =>
      h('div', {}, h('dt', { text: term }), h('dd', { text: value }))));
  }

  // ---- Charts --------------------------------------------------------------------------
  function chartCard(id, title, labels, series, type = 'bar', horizontal = false) {
    const canvas = h('canvas', { role: 'img', 'aria-label': `${title}. Tallene står i tabellen under.` });
    const head = h('tr', {}, h('th', { scope: 'col', text: 'Hva' }),
      ...series.map((s) => h('th', { scope: 'col', text: s.label })));
    const rows = labels.map((label, i) => h('tr', {}, h('th', { scope: 'row', text: label }),
      ...series.map((s) => h('td', { text: number(s.data[i]) }))));
    const card = h('section', { class: 'insights-chart', 'aria-labelledby': `${id}-title`, id },
      h('h3', { id: `${id}-title`, text: title }),
      h('div', { class: 'insights-canvas' }, canvas),
      h('details', {}, h('summary', { text: 'Vis tallene' }),
        h('table', {}, h('thead', {}, head), h('tbody', {}, ...rows))));
    $('insights-charts').append(card);
    if (!window.Chart) return;
    const chart = new window.Chart(canvas, {
      type,
      data: {
        labels,
        datasets: series.map((s, i) => ({
          label: s.label, data: s.data, borderWidth: type === 'line' ? 2 : 0,
          borderColor: COLOURS[i % COLOURS.length],
          backgroundColor: type === 'doughnut' ? labels.map((_, j) => COLOURS[j % COLOURS.length])
            : COLOURS[i % COLOURS.length],
        })),
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        indexAxis: horizontal ? 'y' : 'x',
        plugins: { legend: { display: series.length > 1 || type === 'doughnut' } },
        scales: type === 'doughnut' ? {} : { x: { beginAtZero: true }, y: { beginAtZero: true } },
      },
    });
    state.charts.push(chart);
  }

  function top(rows, n = 10) {
    return rows.slice(0, n).map((r) => [r.key === 'unknown' ? 'Ukjent' : r.title, r.conversations]);
  }

  function renderCharts(d) {
    state.charts.forEach((chart) => chart.destroy());
    state.charts = [];
    $('insights-charts').replaceChildren();
    chartCard('chart-days', 'Samtaler per dag', d.by_day.map((r) => r.day), [
      { label: 'Samtaler', data: d.by_day.map((r) => r.conversations) },
      { label: 'Løst av boten alene', data: d.by_day.map((r) => r.contained) },
    ], 'line');
    const reasons = Object.keys(d.handoffs);
    chartCard('chart-reasons', 'Hvorfor samtaler ble sendt til rådgiver', reasons.map((r) => REASONS[r] || r),
      [{ label: 'Saker', data: reasons.map((r) => d.handoffs[r]) }]);
    const topics = top(d.by_topic);
    chartCard('chart-topics', 'Samtaler etter tema (de ti største)', topics.map((t) => t[0]),
      [{ label: 'Samtaler', data: topics.map((t) => t[1]) }], 'bar', true);
    chartCard('chart-hours', 'Samtaler etter klokkeslett', d.by_hour.map((_, i) => `${String(i).padStart(2, '0')}`),
      [{ label: 'Samtaler', data: d.by_hour }]);
    for (const [id, title, rows] of [['chart-language', 'Skriftspråk', d.by_language],
      ['chart-channel', 'Kanal', d.by_channel], ['chart-county', 'Fylke', d.by_county]]) {
      const pairs = top(rows, 12);
      chartCard(id, title, pairs.map((p) => p[0]), [{ label: 'Samtaler', data: pairs.map((p) => p[1]) }],
        id === 'chart-county' ? 'bar' : 'doughnut', id === 'chart-county');
    }
    const s = d.satisfaction;
    chartCard('chart-satisfaction', 'Vurdering av samtaler med rådgiver', ['1', '2', '3', '4', '5'],
      [{ label: 'Vurderinger', data: ['1', '2', '3', '4', '5'].map((k) => s.counsellor.scores[k]) }]);
    chartCard('chart-useful', '«Var dette nyttig?»', ['Ja', 'Nei'],
      [{ label: 'Svar', data: [s.answers.yes, s.answers.no] }], 'doughnut');
  }

  // ---- Review queue --------------------------------------------------------------------
  function labelForm(group) {
    const kind = h('select', { id: `label-kind-${group.id}` },
      ...Object.entries(LABELS).map(([value, text]) => h('option', { value, text })));
    const existing = h('select', { id: `label-intent-${group.id}` },
      ...state.intents.map((name) => h('option', { value: name, text: name })));
    if (group.guess && state.intents.includes(group.guess)) existing.value = group.guess;
    const fresh = h('input', { id: `label-new-${group.id}`, type: 'text', pattern: '[a-z][a-z0-9_]*',
      autocomplete: 'off', placeholder: 'ask_…' });
    const existingBox = h('div', {}, h('label', { for: existing.id, text: 'Tema' }), existing);
    const freshBox = h('div', { hidden: '' }, h('label', { for: fresh.id, text: 'Navn på nytt tema' }), fresh);
    kind.addEventListener('change', () => {
      existingBox.hidden = kind.value !== 'intent';
      freshBox.hidden = kind.value !== 'new_intent';
    });
    const status = h('p', { role: 'status', class: 'insights-note' });
    const form = h('form', { class: 'insights-label' },
      h('div', {}, h('label', { for: kind.id, text: 'Merk gruppen som' }), kind),
      existingBox, freshBox, h('button', { type: 'submit', text: 'Lagre merket' }), status);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const intent = kind.value === 'intent' ? existing.value : kind.value === 'new_intent' ? fresh.value.trim() : null;
      const { status: code, body } = await call('unanswered/label', {
        method: 'POST', body: JSON.stringify({ ids: group.ids, label: kind.value, intent }),
      });
      status.textContent = code === 200 ? `Lagret: ${LABELS[kind.value]}${intent ? ` (${intent})` : ''}.`
        : `Ikke lagret: ${body?.message || 'noe gikk galt'}.`;
    });
    return form;
  }

  function renderReview(data) {
    state.intents = data.intents || [];
    const groups = data.groups || [];
    $('insights-review-empty').hidden = groups.length > 0;
    $('insights-groups').replaceChildren(...groups.map((group, i) => {
      const title = `Gruppe ${i + 1}: ${number(group.size)} ${group.size === 1 ? 'melding' : 'meldinger'}`;
      const item = h('li', { 'aria-label': title },
        h('h3', { class: 'insights-group-title', text: title }),
        h('ul', { class: 'insights-texts' }, ...group.texts.map((text) => h('li', { text }))));
      if (group.label) {
        item.append(h('p', { class: 'insights-labelled',
          text: `Merket: ${LABELS[group.label.label] || group.label.label}${group.label.intent ? ` (${group.label.intent})` : ''}` }));
      }
      item.append(labelForm(group));
      return item;
    }));
  }

  // ---- Loading -------------------------------------------------------------------------
  async function load() {
    say('Henter tall …');
    const { status, body } = await call(`insights?days=${state.days}`);
    if (status === 401) {
      $('insights-content').hidden = true;
      say('Du er ikke logget inn. Logg inn i nettpraten først, og kom tilbake hit.', 'error');
      return;
    }
    if (status === 403) {
      $('insights-content').hidden = true;
      say('Bare ledere ser innsikten. Spør en leder om du trenger tallene.', 'error');
      return;
    }
    if (status !== 200) {
      say('Tallene kunne ikke hentes nå. Prøv igjen om litt.', 'error');
      return;
    }
    $('insights-content').hidden = false;
    $('insights-range').textContent = `${body.since.slice(0, 10)} – ${body.until.slice(0, 10)}`;
    renderKey(body);
    renderCharts(body);
    const review = await call(`unanswered?days=${state.days}`);
    if (review.status === 200) renderReview(review.body);
    say('');
    document.documentElement.dataset.insightsReady = 'true';
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('insights-days').addEventListener('change', (event) => {
      state.days = Number(event.target.value);
      load();
    });
    $('insights-period-form').addEventListener('submit', (event) => event.preventDefault());
    load();
  });
})();
