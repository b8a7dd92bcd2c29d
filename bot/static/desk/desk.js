/* Veivalg counsellor desk: the page at /desk/. HTTP and WebSocket API: docs/desk-api.md.
   Plain ES2020, no build step, no external resources. Data reaches the DOM through
   textContent only; links are made only for http(s) URLs. */
(() => {
  'use strict';

  // The API and the socket live beside this script (/desk/), wherever the desk is mounted.
  const BASE = new URL('.', document.currentScript?.src || location.href);
  const API = new URL('api/', BASE);
  const SOCKET = new URL('socket', BASE);
  SOCKET.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';

  const BOT = 'Veivalg';
  const PAGE_TITLE = document.title;
  const WAIT_TICK_MS = 5000;       // waiting times are in minutes; 5 s keeps them honest
  const TYPING_REFRESH_MS = 5000;  // at most one "typing on" per 5 s while keys keep coming
  const TYPING_IDLE_MS = 4000;     // "typing off" after 4 s without keys
  const TYPING_TIMEOUT_MS = 30000; // a lost "typing off" must not leave the indicator on
  const FRESH_MS = 10000;          // how long a new case stays highlighted
  const RETRY_MAX_MS = 30000;
  const RECENT_MS = 5000;          // our own take/transfer: its echo is not news to us

  const TEXT = {
    invalidLogin: 'Feil brukernavn eller passord.',
    missingLogin: 'Skriv inn både brukernavn og passord.',
    expired: 'Økten er utløpt. Logg inn igjen.',
    loggedOut: 'Du er logget ut.',
    network: 'Fikk ikke kontakt med serveren. Sjekk nettforbindelsen og prøv igjen.',
    tooMany: 'For mange forsøk. Vent litt og prøv igjen.',
    loginPaused: (wait) => `For mange mislykkede innlogginger. Prøv igjen om ${wait}.`,
    alreadyTaken: 'En kollega tok denne saken først.',
    noSuchCase: 'Saken finnes ikke lenger.',
    notAllowed: 'Det går ikke an med denne saken nå.',
    invalidText: 'Teksten er tom eller for lang.',
    failed: 'Noe gikk galt. Prøv igjen.',
    connecting: 'Kobler til …',
    online: 'Tilkoblet',
    reconnecting: 'Frakoblet. Prøver å koble til igjen …',
    typing: 'Personen skriver …',
    newCase: 'Ny sak i køen',
    newCallback: 'Nytt ubesvart spørsmål',
  };
  const LANGUAGE = { nb: 'Bokmål', nn: 'Nynorsk', en: 'Engelsk' };
  const TOPIC = {
    higher_education: 'Høyere utdanning',
    upper_secondary: 'Videregående opplæring',
    student_finance: 'Studiefinansiering',
    crisis: 'Krise',
    out_of_scope: 'Annet',
  };
  const PRIORITY = { urgent: 'Haster', high: 'Høy', medium: 'Middels', low: 'Lav' };
  const TAG = { crisis: 'Krise', sami: 'Samisk' };
  const STATUS = { pending: 'I køen', open: 'Pågår', snoozed: 'Ubesvart spørsmål', resolved: 'Avsluttet' };
  const CHANNEL = { webchat: 'Nettprat', rest: 'REST', telegram: 'Telegram', facebook: 'Messenger' };
  const CONTACT = { email: 'E-post', phone: 'Telefon', name: 'Navn', sms: 'SMS' };
  const FROM = new Set(['user', 'bot', 'counsellor']);
  // Why a counsellor's message did not reach the person (`undelivered.reason`, docs/desk-api.md).
  const UNDELIVERED = {
    blocked: () => 'Personen har blokkert Veivalg eller slettet kontoen sin.',
    refused: (channel) => `${channel} avviste meldingen.`,
    unreachable: (channel) => `Fikk ikke kontakt med ${channel}.`,
    no_channel: (channel) => `${channel} er ikke satt opp på serveren.`,
    failed: () => 'Det oppsto en feil hos oss under sendingen.',
  };
  // Why the server refused (409 not_allowed), per action. The server's own `message` is
  // for developers (English), so the page says it in its own words.
  const REFUSED = {
    take: 'Saken kan ikke tas nå.',
    messages: 'Bare den som har saken, kan skrive til personen.',
    transfer: 'Bare den som har saken, kan overføre den.',
    close: 'Saken kan ikke avsluttes nå.',
  };

  // ---- DOM helpers --------------------------------------------------------------------
  const $ = (id) => document.getElementById(id);
  const h = (tag, attrs = {}, ...kids) => {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'text') el.textContent = v;
      else el.setAttribute(k, v === true ? '' : v);
    }
    el.append(...kids.filter((k) => k !== null && k !== undefined && k !== false));
    return el;
  };

  const ui = {
    account: $('desk-account'), me: $('desk-me'), logout: $('desk-logout'), status: $('desk-status'),
    lists: $('desk-lists'), main: $('desk-main'), alert: $('desk-alert'), announce: $('desk-announce'),
    loading: $('desk-loading'), loginView: $('desk-login-view'), loginForm: $('desk-login-form'),
    login: $('desk-login'), password: $('desk-password'), loginError: $('desk-login-error'),
    loginNote: $('desk-login-note'), loginSubmit: $('desk-login-submit'),
    queue: $('desk-queue'), mine: $('desk-mine'), callbacks: $('desk-callbacks'),
    nocase: $('desk-nocase'), caseView: $('desk-case'), caseTitle: $('desk-case-title'),
    caseState: $('desk-case-state'), take: $('desk-take'), transferBox: $('desk-transfer-box'),
    transferTo: $('desk-transfer-to'), transfer: $('desk-transfer'), close: $('desk-close'),
    closeBox: $('desk-close-box'), closeConfirm: $('desk-close-confirm'), closeCancel: $('desk-close-cancel'),
    transcript: $('desk-transcript'), typing: $('desk-typing'), replyForm: $('desk-reply-form'),
    reply: $('desk-reply'), replyHint: $('desk-reply-hint'), send: $('desk-send'),
    summaryArea: $('desk-summary-area'), summary: $('desk-summary'), callback: $('desk-callback'), question: $('desk-question'),
    contact: $('desk-contact'), facts: $('desk-facts'), notes: $('desk-notes'),
    notesEmpty: $('desk-notes-empty'), noteForm: $('desk-note-form'), note: $('desk-note'),
    noteSave: $('desk-note-save'), crisis: $('desk-crisis'), crisisList: $('desk-crisis-list'),
  };
  const REPLY_HINT = ui.replyHint.textContent;

  // ---- State --------------------------------------------------------------------------
  // Ids are kept as strings (Map keys), whatever type the server uses; `raw` ids go back.
  const key = (id) => String(id);
  const state = {
    me: null,               // {id, name} while logged in
    cases: new Map(),       // id → case, every case not resolved
    counsellors: [],        // [{id, name, online}] for transfers and names
    shown: null,            // the case on the right: {id, raw, case, loading, failed, messages, notes, confirmClose}
    unread: new Set(),      // case ids with messages from the person not yet seen
    fresh: new Map(),       // case id → when it arrived (highlighted for a while)
    recent: new Map(),      // case id → time of our own take/transfer
    drafts: new Map(),      // case id → unsent reply, kept across case switches and re-logins
    connection: '',         // '', connecting, online, reconnecting
    gotHello: false,        // the socket's full list has arrived (newer than GET /cases)
    crisis: new Map(),      // case id → {text, at}: crisis alerts nobody here has seen yet
    seenCrisis: new Set(),  // case ids whose crisis alert was opened or dismissed here
  };
  let ws = null;            // the current socket; events from older sockets are ignored
  let attempt = 0;
  let retryTimer = 0;
  let waitTimer = 0;
  let personTypingTimer = 0;
  let ownTyping = null;     // {id, raw, at}: the case our "typing on" was sent for
  let ownTypingTimer = 0;
  let seq = 0;

  // ---- Words for values ---------------------------------------------------------------
  const topicText = (t) => (t ? TOPIC[t] || String(t).replace(/_/g, ' ') : 'Uten tema');
  const languageText = (l) => (l ? LANGUAGE[l] || String(l).toUpperCase() : 'Ukjent språk');
  const assigneeId = (c) => {
    const a = c && c.assignee;
    if (a === null || a === undefined) return null;
    return key(typeof a === 'object' ? a.id : a);
  };
  // The case may carry the assignee as an object or an id; the counsellor list has the name.
  const assigneeName = (c) => {
    const a = c && c.assignee;
    if (a && typeof a === 'object' && a.name) return String(a.name);
    const id = assigneeId(c);
    if (id === null) return '';
    if (state.me && id === key(state.me.id)) return String(state.me.name);
    const known = state.counsellors.find((p) => key(p.id) === id);
    return known ? String(known.name) : 'en kollega';
  };
  const isMine = (c) => Boolean(c && state.me && assigneeId(c) === key(state.me.id));
  const canReply = (c) => Boolean(c && c.status === 'open' && isMine(c));
  const personName = (p) => (p && typeof p === 'object' ? String(p.name ?? '') : String(p ?? ''));

  const TIME = new Intl.DateTimeFormat('nb-NO', { hour: '2-digit', minute: '2-digit' });
  const DAY_TIME = new Intl.DateTimeFormat('nb-NO', {
    day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit',
  });
  const toDate = (sec) => (sec !== null && sec !== undefined && sec !== '' && Number.isFinite(Number(sec))
    ? new Date(Number(sec) * 1000) : null);
  const clock = (d) => (d.toDateString() === new Date().toDateString() ? TIME.format(d) : DAY_TIME.format(d));
  const timeEl = (sec) => {
    const d = toDate(sec);
    return d ? h('time', { datetime: d.toISOString(), text: clock(d) }) : null;
  };

  // "3 min", from seconds since the epoch (the server's clock, compared with ours).
  function durationText(sec) {
    const d = toDate(sec);
    if (!d) return '';
    const min = Math.max(0, Math.floor((Date.now() - d.getTime()) / 60000));
    if (min < 1) return 'under 1 min';
    if (min < 60) return `${min} min`;
    const hours = Math.floor(min / 60);
    if (hours >= 48) return `${Math.floor(hours / 24)} døgn`;
    return min % 60 ? `${hours} t ${min % 60} min` : `${hours} t`;
  }
  const waitText = (sec, prefix = 'venter ') => {
    const text = durationText(sec);
    return text ? prefix + text : '';
  };

  // Only http(s) URLs become links; everything else stays literal text (textContent).
  const URL_RE = /https?:\/\/[^\s<>"'`]+/gi;
  function fillText(parent, text) {
    parent.replaceChildren();
    let last = 0;
    for (const match of text.matchAll(URL_RE)) {
      // Trailing punctuation belongs to the sentence: "see https://vigo.no."
      let url = match[0].replace(/[.,;:!?»”"']+$/, '');
      if (url.endsWith(')') && !url.includes('(')) url = url.slice(0, -1).replace(/[.,;:!?]+$/, '');
      let href;
      try { href = new URL(url).href; } catch { continue; }
      if (!/^https?:$/.test(new URL(href).protocol)) continue;
      parent.append(text.slice(last, match.index),
        h('a', { href, target: '_blank', rel: 'noopener noreferrer' }, url));
      last = match.index + url.length;
    }
    parent.append(text.slice(last));
  }

  // ---- HTTP ---------------------------------------------------------------------------
  class ApiError extends Error {
    constructor(status, data, action = '') {
      super((data && data.error) || `HTTP ${status}`);
      this.status = status;
      this.code = (data && data.error) || '';
      this.action = action; // the last part of the path: take, messages, notes …
      this.retryAfter = Number(data && data.retry_after) || 0; // seconds, on a 429
    }
  }

  // Every call goes through here, so that a 401 anywhere ends the session the same way.
  async function api(method, path, body, { expect401 = false } = {}) {
    let res;
    try {
      res = await fetch(new URL(path, API), {
        method,
        credentials: 'same-origin',
        headers: body === undefined ? { Accept: 'application/json' }
          : { Accept: 'application/json', 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, { error: 'network' });
    }
    let data = null;
    try { data = await res.json(); } catch { /* an empty or non-JSON answer */ }
    if (res.ok) return data || {};
    if (res.status === 401 && !expect401) sessionExpired();
    throw new ApiError(res.status, data, path.split('/').pop());
  }
  const casePath = (id, action = '') => `cases/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;

  function errorText(err, what) {
    if (err.status === 0) return TEXT.network;
    if (err.code === 'already_taken') return TEXT.alreadyTaken;
    if (err.code === 'no_such_case') return TEXT.noSuchCase;
    if (err.status === 429) return TEXT.tooMany;
    let why = TEXT.failed;
    if (err.code === 'not_allowed') why = REFUSED[err.action] || TEXT.notAllowed;
    else if (err.code === 'invalid_request' && ['messages', 'notes'].includes(err.action)) why = TEXT.invalidText;
    return what ? `${what} ${why}` : why;
  }
  function fail(err, what) {
    if (err.status === 401) return; // the login form says it already
    showAlert(errorText(err, what));
  }

  // ---- Messages to the counsellor -----------------------------------------------------
  function showAlert(text) { ui.alert.textContent = text || ''; }
  const clearAlert = () => showAlert('');
  let announceTimer = 0;
  function announce(text) {
    // Emptied first and filled a moment later, so that the same words are read again.
    clearTimeout(announceTimer);
    ui.announce.textContent = '';
    announceTimer = setTimeout(() => { ui.announce.textContent = text; }, 60);
  }

  // ---- Rendering: one function per area ----------------------------------------------
  function renderView() {
    const loggedIn = Boolean(state.me);
    ui.loading.hidden = true;
    ui.loginView.hidden = loggedIn;
    ui.account.hidden = !loggedIn;
    ui.lists.hidden = !loggedIn;
    document.body.classList.toggle('desk-in', loggedIn);
    ui.me.textContent = loggedIn ? String(state.me.name) : '';
    $('desk-insights-link').hidden = !(loggedIn && state.me.role === 'lead'); // leads only
    ui.nocase.hidden = !loggedIn || Boolean(state.shown);
    renderStatus();
    renderLists();
    renderCase();
  }

  function renderStatus() {
    ui.status.dataset.state = state.connection || 'offline';
    ui.status.textContent = state.connection ? TEXT[state.connection] : '';
  }

  const queueOrder = (a, b) =>
    (b.priority === 'urgent') - (a.priority === 'urgent') ||
    (Number(a.waiting_since ?? a.created_at) || 0) - (Number(b.waiting_since ?? b.created_at) || 0) ||
    (Number(a.id) || 0) - (Number(b.id) || 0);

  function renderLists() {
    const all = [...state.cases.values()];
    const groups = [
      [ui.queue, 'queue', all.filter((c) => c.status === 'pending').sort(queueOrder)],
      [ui.mine, 'mine', all.filter((c) => c.status === 'open' && isMine(c)).sort(queueOrder)],
      [ui.callbacks, 'callbacks', all.filter((c) => c.status === 'snoozed').sort(queueOrder)],
    ];
    // Lists are rebuilt whole; keep the keyboard where it was.
    const focused = document.activeElement && document.activeElement.closest('.desk-case');
    const focusedId = focused ? focused.dataset.caseId : null;
    for (const [list, name, cases] of groups) {
      list.replaceChildren(...cases.map((c) => caseItem(c, name)));
      $(`desk-${name}-count`).textContent = cases.length ? `(${cases.length})` : '';
      $(`desk-${name}-empty`).hidden = cases.length > 0;
    }
    if (focusedId !== null) {
      const again = document.querySelector(`.desk-case[data-case-id="${CSS.escape(focusedId)}"] button`);
      if (again) again.focus();
    }
    renderTitle(groups[0][2].length);
  }

  function caseItem(c, list) {
    const id = key(c.id);
    const selected = state.shown && state.shown.id === id;
    const unread = state.unread.has(id);
    const li = h('li', {
      class: ['desk-case', state.fresh.has(id) && 'desk-fresh', unread && 'desk-unread']
        .filter(Boolean).join(' '),
      'data-case-id': id, 'data-status': c.status || '', 'data-priority': c.priority || '',
    });
    // The lists are rebuilt often; the highlight goes on fading where it was, not from the start.
    if (state.fresh.has(id)) li.style.setProperty('--desk-fresh-age', `-${Date.now() - state.fresh.get(id)}ms`);
    const top = h('span', { class: 'desk-case-top' });
    if (c.priority === 'urgent') top.append(h('span', { class: 'desk-badge desk-badge-urgent', text: 'Haster' }));
    else if (c.priority === 'high') top.append(h('span', { class: 'desk-badge desk-badge-high', text: 'Høy prioritet' }));
    top.append(h('span', { class: 'desk-case-topic', text: topicText(c.topic) }));
    if (unread) {
      top.append(h('span', { class: 'desk-dot', 'aria-hidden': 'true' }),
        h('span', { class: 'desk-sr', text: '(nye meldinger)' }));
    }
    const meta = h('span', { class: 'desk-case-meta' }, h('span', { text: languageText(c.language) }));
    if (list === 'mine') {
      if (c.first_reply_at === null || c.first_reply_at === undefined) {
        meta.append(h('span', { class: 'desk-case-flag', text: 'ikke svart ennå' }));
      }
    } else if (toDate(c.waiting_since ?? c.created_at)) {
      meta.append(h('span', { class: 'desk-wait', 'data-since': String(c.waiting_since ?? c.created_at),
        text: waitText(c.waiting_since ?? c.created_at) }));
    }
    const button = h('button', {
      type: 'button', class: 'desk-case-btn', 'aria-current': selected ? 'true' : null,
    }, top, meta);
    if (list === 'callbacks' && c.question) {
      button.append(h('span', { class: 'desk-case-question', text: String(c.question) }));
    }
    button.addEventListener('click', () => selectCase(c.id));
    li.append(button);
    return li;
  }

  function renderTitle(pending) {
    // A background tab still tells the counsellor there is work: count and a dot for unread.
    document.title = `${state.unread.size ? '● ' : ''}${pending ? `(${pending}) ` : ''}${PAGE_TITLE}`;
  }

  function renderWaits() {
    for (const el of document.querySelectorAll('[data-since]')) {
      el.textContent = waitText(el.dataset.since, el.dataset.prefix ?? 'venter ');
    }
  }

  function renderCase() {
    const shown = state.me ? state.shown : null;
    ui.caseView.hidden = !shown;
    ui.nocase.hidden = !state.me || Boolean(shown);
    if (!shown) {
      ui.caseView.removeAttribute('data-case-id');
      return;
    }
    const c = shown.case;
    ui.caseView.dataset.caseId = shown.id;
    ui.caseView.dataset.status = c ? c.status || '' : '';
    ui.caseTitle.textContent = c ? `Sak ${c.id}: ${topicText(c.topic)}` : `Sak ${shown.id}`;

    // The state line: what the case is now and who has it.
    const line = [];
    if (c) {
      if (c.priority === 'urgent') line.push(h('span', { class: 'desk-badge desk-badge-urgent', text: 'Haster' }));
      line.push(h('span', { class: `desk-badge desk-badge-status desk-status-${c.status}`,
        text: STATUS[c.status] || String(c.status) }));
      const who = assigneeName(c);
      if (c.status === 'open') line.push(h('span', { text: isMine(c) ? 'Du har saken.' : `Saken er hos ${who}.` }));
      else if (c.status === 'pending' && c.position) line.push(h('span', { text: `Nummer ${c.position} i køen.` }));
      else if (c.status === 'resolved') line.push(h('span', { text: 'Veivalg har tatt over samtalen igjen.' }));
    } else if (shown.loading) {
      line.push(h('span', { text: 'Henter saken …' }));
    }
    ui.caseState.replaceChildren(...line);

    renderActions(shown);
    renderSummary(shown);
    renderFacts(shown);
    renderReply(shown);
    renderSummaryScroll();
  }

  function renderActions(shown) {
    const c = shown.case;
    const status = c ? c.status : '';
    const mine = isMine(c);
    ui.take.hidden = !(status === 'pending' || status === 'snoozed');
    const wasHidden = ui.transferBox.hidden;
    ui.transferBox.hidden = !(status === 'open' && mine);
    // Who is online is not an event: ask again whenever the transfer controls appear.
    if (wasHidden && !ui.transferBox.hidden) loadCounsellors();
    ui.close.hidden = !((status === 'open' && mine) || status === 'snoozed');
    ui.closeBox.hidden = !shown.confirmClose || ui.close.hidden;
    if (!ui.transferBox.hidden) renderTransferOptions();
  }

  function renderTransferOptions() {
    const before = ui.transferTo.value;
    const others = state.counsellors.filter((p) => !state.me || key(p.id) !== key(state.me.id))
      .sort((a, b) => Boolean(b.online) - Boolean(a.online) || String(a.name).localeCompare(String(b.name), 'nb'));
    // Someone who is not online would not see the case; their cases go back to the queue.
    // No colleague is preselected: a stray click must not move a live conversation.
    ui.transferTo.replaceChildren(
      h('option', { value: '', text: 'Velg …' }),
      h('option', { value: 'queue', text: 'Tilbake i køen' }),
      ...others.map((p) => h('option', {
        value: key(p.id), disabled: !p.online,
        text: p.online ? String(p.name) : `${p.name} (ikke pålogget)`,
      })));
    if ([...ui.transferTo.options].some((o) => o.value === before && !o.disabled)) ui.transferTo.value = before;
  }

  function renderSummary(shown) {
    const c = shown.case;
    ui.summary.textContent = c ? (c.summary ? String(c.summary) : 'Ingen oppsummering.') : '';
    const callback = Boolean(c && (c.status === 'snoozed' || c.question));
    ui.callback.hidden = !callback;
    if (!callback) return;
    ui.question.textContent = c.question ? String(c.question) : 'Ingen spørsmål lagret.';
    // `contact` (detail view only) may be a plain string or an object of fields.
    const contact = c.contact;
    const rows = [];
    if (contact && typeof contact === 'object') {
      for (const [k, v] of Object.entries(contact)) {
        if (v !== null && v !== '') rows.push([CONTACT[k] || k, String(v)]);
      }
    } else if (contact) {
      rows.push(['Kontakt', String(contact)]);
    }
    if (!rows.length) rows.push(['Kontakt', 'Ikke oppgitt']);
    ui.contact.replaceChildren(...rows.flatMap(([dt, dd]) => [h('dt', { text: dt }), h('dd', { text: dd })]));
  }

  // On wide screens a long summary scrolls in its own box; with nothing focusable inside,
  // keyboard users could not scroll it, so the box itself takes focus while it scrolls.
  function renderSummaryScroll() {
    const scrolls = ui.summaryArea.scrollHeight > ui.summaryArea.clientHeight + 1;
    if (scrolls) ui.summaryArea.setAttribute('tabindex', '0'); else ui.summaryArea.removeAttribute('tabindex');
  }

  function renderFacts(shown) {
    const c = shown.case;
    if (!c) { ui.facts.replaceChildren(); return; }
    const tags = Array.isArray(c.tags) ? c.tags.filter((t) => t !== null && t !== '') : [];
    const waiting = toDate(c.waiting_since);
    const rows = [
      ['Språk', languageText(c.language)],
      ['Tema', topicText(c.topic)],
      ['Fylke', c.county ? String(c.county) : 'Ikke oppgitt'],
      ['Stikkord', tags.length
        ? h('span', { class: 'desk-tags' }, ...tags.map((t) => h('span', { class: 'desk-tag', text: TAG[t] || String(t) })))
        : 'Ingen'],
      ['Prioritet', PRIORITY[c.priority] || String(c.priority || 'Ikke satt')],
      ['Kanal', c.channel ? CHANNEL[c.channel] || String(c.channel) : 'Ukjent'],
      ['Opprettet', timeEl(c.created_at) || 'Ukjent'],
    ];
    // The server keeps waiting_since after a take; only a case still waiting has a waiting time.
    if (waiting && (c.status === 'pending' || c.status === 'snoozed')) {
      rows.push(['Ventetid', h('span', { 'data-since': String(c.waiting_since), 'data-prefix': '',
        text: waitText(c.waiting_since, '') })]);
    }
    if (c.status === 'open' || c.status === 'resolved') {
      rows.push(['Første svar', timeEl(c.first_reply_at) || 'Ikke svart ennå']);
    }
    ui.facts.replaceChildren(...rows.flatMap(([dt, dd]) => [h('dt', { text: dt }), h('dd', {}, dd)]));
  }

  function renderReply(shown) {
    const c = shown.case;
    const ok = canReply(c);
    ui.reply.disabled = !ok;
    ui.send.disabled = !ok;
    let why = REPLY_HINT;
    if (!ok && c) {
      if (c.status === 'resolved') why = 'Samtalen er avsluttet.';
      else if (c.status === 'open') why = `Saken er hos ${assigneeName(c)}. Bare den som har saken, kan svare.`;
      else why = 'Ta saken for å svare personen.';
    }
    ui.replyHint.textContent = why;
  }

  function renderTranscript() {
    const shown = state.me ? state.shown : null;
    // Quiet while redrawing: the log would otherwise read the whole conversation aloud.
    ui.transcript.setAttribute('aria-live', 'off');
    if (!shown) {
      ui.transcript.replaceChildren();
    } else if (shown.loading && !shown.messages.size) {
      ui.transcript.replaceChildren(h('p', { class: 'desk-event', 'data-placeholder': true, text: 'Henter samtalen …' }));
    } else if (!shown.messages.size) {
      ui.transcript.replaceChildren(h('p', { class: 'desk-event', 'data-placeholder': true,
        text: shown.failed ? 'Samtalen kunne ikke hentes.' : 'Ingen meldinger ennå.' }));
    } else {
      const ordered = [...shown.messages.values()].sort((a, b) => a.at - b.at || a.n - b.n);
      ui.transcript.replaceChildren(...ordered.map((e) => messageEl(e.m)));
    }
    ui.transcript.scrollTop = ui.transcript.scrollHeight;
    // Screen readers pick up changes a little later; wait before turning it back on.
    setTimeout(() => ui.transcript.setAttribute('aria-live', 'polite'), 1000);
  }

  function appendMessage(m, force) {
    // Follow new messages only if the counsellor is not reading further up.
    const t = ui.transcript;
    const atEnd = t.scrollHeight - t.scrollTop - t.clientHeight < 80;
    const placeholder = t.querySelector(':scope > [data-placeholder]');
    if (placeholder) placeholder.remove();
    t.append(messageEl(m));
    if (atEnd || force) t.scrollTop = t.scrollHeight;
  }

  // What the counsellor needs to know about a message that did not arrive, in one sentence or three.
  function undeliveredText(u) {
    const channel = CHANNEL[u.channel] || 'Kanalen';
    const why = (UNDELIVERED[u.reason] || UNDELIVERED.failed)(channel);
    const parts = Number(u.parts), arrived = Number(u.delivered_parts);
    const partly = parts > 1 && arrived > 0 ? ` Bare ${arrived} av ${parts} deler kom fram.` : '';
    const detail = u.detail ? ` (${String(u.detail)})` : '';
    return `Ikke levert: ${why}${detail}${partly} Meldingen står i samtalen, men personen har ikke fått den.`;
  }
  const undeliveredOf = (m) => (m && m.undelivered && typeof m.undelivered === 'object' ? m.undelivered : null);

  function messageEl(m) {
    const from = FROM.has(m.from) ? m.from : '';
    if (!from) {
      // Something the API does not describe (an activity line?): shown, never as a message.
      return h('p', { class: 'desk-event', text: String(m.text ?? '') });
    }
    let who = 'Person';
    if (from === 'bot') who = BOT;
    if (from === 'counsellor') who = m.name ? String(m.name) : 'Rådgiver';
    const crisis = m.alert === 'crisis';
    const undelivered = undeliveredOf(m);
    const el = h('div', { class: 'desk-msg', 'data-from': from, 'data-id': m.id ?? null, 'data-alert': crisis ? 'crisis' : null,
      'data-delivery': undelivered ? 'failed' : null });
    el.append(h('p', { class: 'desk-meta' }, h('span', { class: 'desk-who', text: who }), ' ', timeEl(m.timestamp),
      crisis ? ' ' : null, crisis ? h('span', { class: 'desk-msg-flag', text: 'Krisespråk' }) : null,
      undelivered ? ' ' : null, undelivered ? h('span', { class: 'desk-msg-flag', text: 'Ikke levert' }) : null));
    const body = h('div', { class: 'desk-text' });
    fillText(body, String(m.text ?? ''));
    el.append(body);
    if (undelivered) el.append(h('p', { class: 'desk-undelivered', text: undeliveredText(undelivered) }));
    const buttons = Array.isArray(m.buttons) ? m.buttons.filter((b) => b && (b.title || b.payload)) : [];
    if (buttons.length) {
      el.append(h('p', { class: 'desk-choices', text: `Valg: ${buttons.map((b) => b.title || b.payload).join(' · ')}` }));
    }
    return el;
  }

  function renderNotes() {
    const shown = state.me ? state.shown : null;
    const notes = shown ? [...shown.notes.values()].sort((a, b) => a.at - b.at || a.n - b.n) : [];
    ui.notes.replaceChildren(...notes.map(({ m: n }) => h('li', { class: 'desk-note-item', 'data-id': n.id ?? null },
      h('p', { class: 'desk-meta' },
        h('span', { class: 'desk-who', text: personName(n.author) || 'Rådgiver' }), ' ', timeEl(n.created_at)),
      (() => { const p = h('p', { class: 'desk-note-text' }); fillText(p, String(n.text ?? '')); return p; })())));
    ui.notesEmpty.hidden = notes.length > 0 || !shown || shown.loading;
  }

  function setPersonTyping(on) {
    clearTimeout(personTypingTimer);
    ui.typing.replaceChildren();
    if (!on) return;
    ui.typing.append(h('span', { class: 'desk-dots', 'aria-hidden': 'true' }, h('span'), h('span'), h('span')),
      h('span', { text: TEXT.typing }));
    personTypingTimer = setTimeout(() => setPersonTyping(false), TYPING_TIMEOUT_MS);
  }

  // ---- State changes ------------------------------------------------------------------
  // Messages and notes are kept by id: the POST answer and the socket event bring the same one.
  function remember(map, item, timeField) {
    if (!item || typeof item !== 'object') return false;
    const k = item.id !== null && item.id !== undefined ? key(item.id) : `local-${++seq}`;
    if (map.has(k)) return false;
    const at = Number(item[timeField]);
    map.set(k, { m: item, at: Number.isFinite(at) ? at : Infinity, n: ++seq });
    return true;
  }

  function replaceCases(cases) {
    state.cases.clear();
    for (const c of Array.isArray(cases) ? cases : []) {
      if (c && c.id !== null && c.id !== undefined && c.status !== 'resolved') state.cases.set(key(c.id), c);
    }
    if (state.shown && state.shown.case) {
      const now = state.cases.get(state.shown.id);
      if (now) state.shown.case = { ...state.shown.case, ...now };
    }
    for (const id of [...state.unread]) if (!state.cases.has(id)) state.unread.delete(id);
  }

  function upsertCase(c, created = false) {
    if (!c || c.id === null || c.id === undefined) return;
    const id = key(c.id);
    const before = state.cases.get(id);
    if (c.status === 'resolved') {
      state.cases.delete(id);
      state.unread.delete(id);
      state.crisis.delete(id);
    } else {
      state.cases.set(id, c);
    }
    const shown = state.shown;
    if (shown && shown.id === id) {
      // Keep what only the detail view has (contact) when a list-shaped case comes in.
      shown.case = { ...(shown.case || {}), ...c };
      if (!canReply(shown.case)) stopOwnTyping();
      if (c.status === 'resolved') setPersonTyping(false);
    }
    const ours = Date.now() - (state.recent.get(id) || 0) < RECENT_MS;
    if (created && !before && (c.status === 'pending' || c.status === 'snoozed')) {
      markFresh(id);
      announce(c.status === 'pending'
        ? `${TEXT.newCase}${c.priority === 'urgent' ? ' – haster' : ''}: ${topicText(c.topic)}.`
        : `${TEXT.newCallback}: ${topicText(c.topic)}.`);
    } else if (!ours && c.status === 'open' && isMine(c) && !(before && isMine(before) && before.status === 'open')) {
      // A colleague handed this case to us.
      markFresh(id);
      announce(`Du har fått en sak: ${topicText(c.topic)}.`);
    }
    renderLists();
    if (shown && shown.id === id) renderCase();
    if (before && isCrisis(before)) renderCrisis(); // where the case is now (queue, a colleague)
  }

  function markFresh(id) {
    state.fresh.set(id, Date.now());
    setTimeout(() => {
      state.fresh.delete(id);
      const li = document.querySelector(`.desk-case[data-case-id="${CSS.escape(id)}"]`);
      if (li) li.classList.remove('desk-fresh');
    }, FRESH_MS);
  }

  function onMessage(caseId, m) {
    if (!m || typeof m !== 'object') return;
    const id = key(caseId);
    const shown = state.shown;
    noteFirstReply(id, m);
    if (shown && shown.id === id) {
      if (m.from === 'user') setPersonTyping(false);
      if (remember(shown.messages, m, 'timestamp') && !shown.loading) appendMessage(m, false);
    } else if (m.from === 'user' && state.cases.has(id)) {
      // What the person wrote before the handoff is part of the case, not news.
      const c = state.cases.get(id);
      if (Number(m.timestamp) <= Number(c.created_at)) return;
      state.unread.add(id);
      renderLists();
    }
  }

  // A counsellor's message is the first reply by definition: no need to wait for a case event.
  function noteFirstReply(id, m) {
    if (m.from !== 'counsellor') return;
    const cases = [state.cases.get(id), state.shown && state.shown.id === id ? state.shown.case : null];
    let changed = false;
    for (const c of cases) {
      if (c && (c.first_reply_at === null || c.first_reply_at === undefined)) {
        c.first_reply_at = Number(m.timestamp) || Date.now() / 1000;
        changed = true;
      }
    }
    if (!changed) return;
    renderLists();
    if (state.shown && state.shown.id === id) renderFacts(state.shown);
  }

  function onNote(caseId, n) {
    const shown = state.shown;
    if (shown && shown.id === key(caseId) && remember(shown.notes, n, 'created_at') && !shown.loading) renderNotes();
  }

  function onTyping(caseId, from, on) {
    // Only the person's typing is shown; a colleague's (or our own echo) is not news.
    if (from !== 'user') return;
    if (state.shown && state.shown.id === key(caseId)) setPersonTyping(on);
  }

  // ---- A person in crisis ---------------------------------------------------------------
  const isCrisis = (c) => Boolean(c && c.priority === 'urgent' && Array.isArray(c.tags) && c.tags.includes('crisis'));

  function raiseCrisis(c, text) {
    if (!c || c.id === null || c.id === undefined || c.status === 'resolved') return;
    const id = key(c.id);
    state.seenCrisis.delete(id); // new words from the person: a new alert
    state.crisis.set(id, { text: typeof text === 'string' ? text : '', at: Date.now() });
    renderCrisis();
    playAlarm();
    announce(`Haster: krise i en sak (${topicText(c.topic)}).`);
  }

  function seeCrisis(id) {
    if (!state.crisis.delete(id)) return;
    state.seenCrisis.add(id);
    renderCrisis();
  }

  function renderCrisis() {
    // Closed cases and logged-out desks keep no alerts.
    for (const id of [...state.crisis.keys()]) if (!state.cases.has(id)) state.crisis.delete(id);
    const alerts = state.me ? [...state.crisis.entries()] : [];
    ui.crisis.hidden = alerts.length === 0;
    ui.crisisList.replaceChildren(...alerts.map(([id, a]) => {
      const c = state.cases.get(id) || {};
      const where = c.status === 'open' ? `hos ${assigneeName(c) || 'en kollega'}` : 'i køen';
      const item = h('li', { class: 'desk-crisis-item', 'data-case-id': id },
        h('span', { text: `Sak ${id} (${languageText(c.language)}), ${where}.` }),
        a.text ? h('span', { class: 'desk-crisis-quote', text: `«${a.text}»` }) : null,
        h('span', { text: 'Personen har fått numrene til hjelpetelefonene.' }));
      const open = h('button', { type: 'button', class: 'desk-btn', text: 'Åpne saken' });
      open.addEventListener('click', () => selectCase(c.id ?? id));
      const dismiss = h('button', { type: 'button', class: 'desk-btn', text: 'Skjul varselet' });
      dismiss.addEventListener('click', () => seeCrisis(id));
      item.append(open, dismiss);
      return item;
    }));
  }

  let audio = null;
  // Two short tones from the page itself: no sound file to fetch, and a muted tab still
  // shows the banner. Browsers allow sound after the counsellor has used the page (login).
  function playAlarm() {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    try {
      audio = audio || new Context();
      if (audio.state === 'suspended') audio.resume();
      for (const [start, freq] of [[0, 880], [0.3, 660]]) {
        const tone = audio.createOscillator();
        const gain = audio.createGain();
        tone.frequency.value = freq;
        gain.gain.value = 0.2;
        tone.connect(gain).connect(audio.destination);
        tone.start(audio.currentTime + start);
        tone.stop(audio.currentTime + start + 0.2);
      }
    } catch { /* no sound device: the banner is there */ }
  }

  // ---- The socket ---------------------------------------------------------------------
  function setConnection(value) {
    state.connection = value;
    renderStatus();
  }

  function connect() {
    clearTimeout(retryTimer);
    // Never two sockets: a stray one would keep us "online" for the server after logout.
    if (ws) { const old = ws; ws = null; old.close(1000); }
    if (!state.me) return;
    setConnection(attempt ? 'reconnecting' : 'connecting');
    let sock;
    try { sock = new WebSocket(SOCKET.href); } catch { scheduleReconnect(); return; }
    ws = sock;
    sock.addEventListener('message', (e) => { if (ws === sock) onFrame(e.data); });
    sock.addEventListener('close', (e) => {
      if (ws !== sock) return;
      ws = null;
      ownTyping = null;
      setPersonTyping(false);
      if (e.code === 4401 || e.reason === 'not_logged_in') { sessionExpired(); return; }
      scheduleReconnect();
    });
  }

  function disconnect() {
    clearTimeout(retryTimer);
    if (ws) { const old = ws; ws = null; old.close(1000); }
  }

  function scheduleReconnect() {
    if (!state.me) return;
    // 1 s doubling to 30 s. No jitter: a handful of counsellors cannot swamp the server,
    // and their open cases go back to the queue if they stay away too long.
    const delay = Math.min(RETRY_MAX_MS, 1000 * 2 ** attempt);
    attempt += 1;
    setConnection('reconnecting');
    clearTimeout(retryTimer);
    retryTimer = setTimeout(reconnect, delay);
  }

  async function reconnect() {
    // A refused upgrade does not say why; an HTTP call tells an expired session (401,
    // handled in api) from a server that is away.
    try {
      await api('GET', 'me');
    } catch (err) {
      if (err.status !== 401) scheduleReconnect();
      return;
    }
    connect();
  }

  const sendFrame = (frame) => {
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    ws.send(JSON.stringify(frame));
    return true;
  };

  function onFrame(data) {
    let f;
    try { f = JSON.parse(data); } catch { return; }
    if (!f || typeof f !== 'object') return;
    switch (f.type) {
      case 'hello':
        onHello(f);
        break;
      case 'conversation.created':
        upsertCase(f.case, true);
        break;
      case 'conversation.status_changed':
      case 'conversation.priority_changed':
      case 'assignee.changed':
        upsertCase(f.case);
        break;
      case 'conversation.urgent':
        upsertCase(f.case);
        raiseCrisis(f.case, f.text);
        break;
      case 'message.created':
        onMessage(f.case_id, f.message);
        break;
      case 'note.created':
        onNote(f.case_id, f.note);
        break;
      case 'conversation.erased':
        forgetCase(key(f.case_id));
        break;
      case 'conversation.typing_on':
      case 'conversation.typing_off':
        onTyping(f.case_id, f.from, f.type === 'conversation.typing_on');
        break;
      case 'error':
        if (f.error === 'not_logged_in' || f.code === 'not_logged_in') sessionExpired();
        break;
      default: // event types added later
    }
  }

  function onHello(f) {
    attempt = 0;
    if (f.counsellor && typeof f.counsellor === 'object') state.me = { ...state.me, ...f.counsellor };
    state.gotHello = true;
    replaceCases(f.cases);
    for (const c of state.cases.values()) {
      const id = key(c.id);
      if (isCrisis(c) && c.status === 'pending' && !state.seenCrisis.has(id) && !state.crisis.has(id)) {
        state.crisis.set(id, { text: '', at: Date.now() });
      }
    }
    setConnection('online');
    renderView();
    renderCrisis();
    const shown = state.shown;
    if (shown && !shown.loading) {
      // Events may have been missed while the socket was down: fetch the case again.
      loadCase(shown);
    } else if (!shown) {
      openFromAddress();
    }
  }

  // ---- Session ------------------------------------------------------------------------
  function startSession(counsellor, { focus = true } = {}) {
    state.me = { id: counsellor?.id, name: counsellor?.name ?? '', role: counsellor?.role ?? 'counsellor' };
    state.gotHello = false;
    attempt = 0;
    ui.loginError.textContent = '';
    ui.loginNote.textContent = '';
    clearAlert();
    renderView();
    loadCounsellors();
    loadTopics();
    // The list comes in the socket's hello too; this one shows the desk even if the socket is slow.
    api('GET', 'cases').then((data) => {
      if (state.me && !state.gotHello) { replaceCases(data.cases); renderLists(); openFromAddress(); }
    }).catch((err) => fail(err, 'Fikk ikke hentet sakene.'));
    connect();
    clearInterval(waitTimer);
    waitTimer = setInterval(renderWaits, WAIT_TICK_MS);
    // The login button is gone; the keyboard goes on in the desk (not on a reload, though).
    if (focus) ui.main.focus();
  }

  function endSession(error, note = '') {
    if (state.shown && ui.reply.value) state.drafts.set(state.shown.id, ui.reply.value);
    stopOwnTyping();
    disconnect();
    clearInterval(waitTimer);
    setPersonTyping(false);
    Object.assign(state, { me: null, shown: null, counsellors: [], connection: '', gotHello: false });
    state.cases.clear();
    state.unread.clear();
    state.fresh.clear();
    state.crisis.clear();
    renderCrisis();
    ui.reply.value = '';
    ui.note.value = '';
    clearAlert();
    renderView();
    renderTranscript();
    renderNotes();
    ui.loginError.textContent = error;
    ui.loginNote.textContent = note;
    ui.password.value = '';
    ui.login.focus();
  }

  function sessionExpired() {
    if (state.me) endSession(TEXT.expired);
  }

  async function login(e) {
    e.preventDefault();
    const name = ui.login.value.trim();
    const password = ui.password.value;
    ui.loginNote.textContent = '';
    if (!name || !password) {
      setLoginError(TEXT.missingLogin);
      (name ? ui.password : ui.login).focus();
      return;
    }
    ui.loginSubmit.disabled = true;
    try {
      const data = await api('POST', 'login', { login: name, password }, { expect401: true });
      ui.password.value = '';
      setLoginError('');
      startSession(data.counsellor);
    } catch (err) {
      let text = errorText(err);
      if (err.code === 'invalid_login' || err.status === 401) text = TEXT.invalidLogin;
      else if (err.status === 429 && err.retryAfter) text = TEXT.loginPaused(pauseText(err.retryAfter));
      else if (err.status === 400 && err.code === 'invalid_request') text = TEXT.missingLogin;
      setLoginError(text);
      ui.password.value = '';
      ui.password.focus();
    } finally {
      ui.loginSubmit.disabled = false;
    }
  }

  function pauseText(seconds) {
    if (seconds < 60) return seconds === 1 ? '1 sekund' : `${seconds} sekunder`;
    const minutes = Math.ceil(seconds / 60);
    return minutes === 1 ? '1 minutt' : `${minutes} minutter`;
  }

  function setLoginError(text) {
    ui.loginError.textContent = text;
    for (const input of [ui.login, ui.password]) {
      if (text) input.setAttribute('aria-invalid', 'true'); else input.removeAttribute('aria-invalid');
    }
  }

  async function logout() {
    try { await api('POST', 'logout', undefined, { expect401: true }); } catch { /* gone either way */ }
    state.drafts.clear(); // a deliberate logout leaves nothing behind on this machine
    endSession('', TEXT.loggedOut);
  }

  async function boot() {
    try {
      const data = await api('GET', 'me', undefined, { expect401: true });
      startSession(data.counsellor, { focus: false });
    } catch (err) {
      renderView();
      if (err.status !== 401) ui.loginError.textContent = errorText(err);
    }
  }

  // ---- Cases --------------------------------------------------------------------------
  function selectCase(raw) {
    const id = key(raw);
    if (state.shown && state.shown.id === id && !state.shown.failed) return;
    leaveCase();
    state.shown = {
      id, raw, case: state.cases.get(id) || null, loading: true, failed: false,
      messages: new Map(), notes: new Map(), confirmClose: false,
    };
    state.unread.delete(id);
    seeCrisis(id);
    ui.reply.value = state.drafts.get(id) || '';
    ui.note.value = '';
    clearAlert();
    setPersonTyping(false);
    try { history.replaceState(null, '', `#sak-${encodeURIComponent(id)}`); } catch { /* file: pages */ }
    renderLists();
    renderCase();
    renderTranscript();
    renderNotes();
    loadCase(state.shown);
  }

  function leaveCase() {
    const shown = state.shown;
    if (!shown) return;
    if (ui.reply.value) state.drafts.set(shown.id, ui.reply.value); else state.drafts.delete(shown.id);
    stopOwnTyping();
  }

  async function loadCase(shown) {
    try {
      const data = await api('GET', casePath(shown.raw));
      if (state.shown !== shown) return; // another case was chosen meanwhile
      const c = data.case || shown.case;
      shown.case = c;
      shown.raw = c && c.id !== undefined ? c.id : shown.raw;
      if (c && c.status !== 'resolved') state.cases.set(shown.id, c); else state.cases.delete(shown.id);
      // Live messages that arrived while loading are kept; the ids drop the doubles.
      for (const m of Array.isArray(data.transcript) ? data.transcript : []) remember(shown.messages, m, 'timestamp');
      for (const n of Array.isArray(data.notes) ? data.notes : []) remember(shown.notes, n, 'created_at');
      shown.failed = false;
    } catch (err) {
      if (state.shown !== shown) return;
      shown.failed = true;
      if (err.code === 'no_such_case') state.cases.delete(shown.id);
      fail(err, 'Fikk ikke hentet saken.');
    }
    shown.loading = false;
    renderLists();
    renderCase();
    renderTranscript();
    renderNotes();
  }

  function openFromAddress() {
    // A reload keeps the case that was open (#sak-7), and a pasted link opens its case.
    const m = /^#sak-(.+)$/.exec(location.hash);
    if (!m || !state.me) return;
    const id = decodeURIComponent(m[1]);
    if (state.shown && state.shown.id === id) return;
    const c = state.cases.get(id);
    selectCase(c ? c.id : id);
  }

  // Issue 14: the server names every case topic in Norwegian (data/topics.yml); the few
  // names built in above stay as the fallback if this request fails.
  async function loadTopics() {
    try {
      const data = await api('GET', 'topics');
      for (const [code, name] of Object.entries((data && data.topics) || {})) {
        if (typeof name === 'string' && name) TOPIC[code] = name;
      }
      renderLists();
      if (state.shown) renderCase();
    } catch (err) {
      // The built-in names and the readable fallback (underscores as spaces) still apply.
    }
  }

  async function loadCounsellors() {
    try {
      const data = await api('GET', 'counsellors');
      const list = Array.isArray(data.counsellors) ? data.counsellors.filter((p) => p && p.id !== undefined) : [];
      // Rebuilding the options of an open select would close it: only when something changed.
      if (JSON.stringify(list) === JSON.stringify(state.counsellors)) return;
      state.counsellors = list;
      if (state.shown) renderCase();
    } catch (err) {
      if (err.status !== 401 && state.shown && !ui.transferBox.hidden) fail(err, 'Fikk ikke hentet listen over kolleger.');
    }
  }

  // Runs an action on the shown case; the answer's case updates the lists and the view.
  async function act(action, body, what) {
    const shown = state.shown;
    if (!shown) return null;
    clearAlert();
    state.recent.set(shown.id, Date.now());
    try {
      const data = await api('POST', casePath(shown.raw, action), body);
      if (data.case) upsertCase(data.case);
      return data;
    } catch (err) {
      fail(err, what);
      if (err.status === 409 || err.status === 404) refreshShown(shown);
      return null;
    }
  }

  async function refreshShown(shown) {
    // After a refused action the case has moved on; show it as it is now.
    try {
      const data = await api('GET', casePath(shown.raw));
      if (data.case) upsertCase(data.case);
    } catch { /* the alert already says what went wrong */ }
  }

  async function take() {
    const data = await act('take', undefined, 'Saken ble ikke tatt.');
    if (!data) return;
    announce('Du har tatt saken.');
    if (!ui.reply.disabled) ui.reply.focus();
  }

  async function transfer() {
    const value = ui.transferTo.value;
    const to = value === 'queue' ? null : state.counsellors.find((p) => key(p.id) === value);
    if (to === undefined) {
      showAlert('Velg en kollega eller «Tilbake i køen» først.');
      ui.transferTo.focus();
      return;
    }
    const data = await act('transfer', { to: to ? to.id : null }, 'Saken ble ikke overført.');
    if (!data) return;
    announce(to ? `Saken er overført til ${to.name}.` : 'Saken er lagt tilbake i køen.');
    ui.caseTitle.focus(); // the transfer controls are gone; keep the keyboard in the case
  }

  function askClose() {
    if (!state.shown) return;
    state.shown.confirmClose = true;
    renderCase();
    ui.closeConfirm.focus();
  }

  function cancelClose() {
    if (!state.shown) return;
    state.shown.confirmClose = false;
    renderCase();
    if (!ui.close.hidden) ui.close.focus();
  }

  async function closeCase() {
    const shown = state.shown;
    if (!shown) return;
    const data = await act('close', undefined, 'Samtalen ble ikke avsluttet.');
    if (state.shown === shown) shown.confirmClose = false;
    renderCase();
    if (!data) return;
    stopOwnTyping();
    announce('Samtalen er avsluttet.');
    ui.caseTitle.focus();
  }

  async function sendReply() {
    const shown = state.shown;
    if (!shown || !canReply(shown.case)) return;
    const text = ui.reply.value;
    if (!text.trim()) { ui.reply.focus(); return; }
    // Emptied at once so the counsellor can go on; on failure the text comes back.
    ui.reply.value = '';
    state.drafts.delete(shown.id);
    stopOwnTyping();
    clearAlert();
    try {
      const data = await api('POST', casePath(shown.raw, 'messages'), { text });
      if (data.message) noteFirstReply(shown.id, data.message);
      if (state.shown === shown && remember(shown.messages, data.message, 'timestamp')) appendMessage(data.message, true);
      // Stored, but the person did not get it: said at once, not only in the transcript.
      const undelivered = undeliveredOf(data.message);
      if (undelivered) showAlert(undeliveredText(undelivered));
    } catch (err) {
      if (state.shown === shown) {
        ui.reply.value = ui.reply.value ? `${text}\n${ui.reply.value}` : text;
      } else {
        const later = state.drafts.get(shown.id);
        state.drafts.set(shown.id, later ? `${text}\n${later}` : text);
      }
      fail(err, 'Meldingen ble ikke sendt.');
    }
  }

  async function saveNote() {
    const shown = state.shown;
    if (!shown) return;
    const text = ui.note.value;
    if (!text.trim()) { ui.note.focus(); return; }
    ui.noteSave.disabled = true;
    clearAlert();
    try {
      const data = await api('POST', casePath(shown.raw, 'notes'), { text });
      if (state.shown !== shown) return;
      if (ui.note.value === text) ui.note.value = '';
      if (remember(shown.notes, data.note, 'created_at')) renderNotes();
      announce('Notatet er lagret.');
    } catch (err) {
      fail(err, 'Notatet ble ikke lagret.');
    } finally {
      ui.noteSave.disabled = false;
    }
  }

  // ---- The counsellor's typing --------------------------------------------------------
  function onReplyInput() {
    const shown = state.shown;
    if (!shown || !canReply(shown.case)) return;
    if (!ui.reply.value) { stopOwnTyping(); return; }
    const now = Date.now();
    if (ownTyping && ownTyping.id !== shown.id) stopOwnTyping();
    // Throttled: one "on" now and again, not one per key.
    if (!ownTyping || now - ownTyping.at >= TYPING_REFRESH_MS) {
      if (sendFrame({ type: 'typing', case_id: shown.raw, on: true })) ownTyping = { id: shown.id, raw: shown.raw, at: now };
    }
    clearTimeout(ownTypingTimer);
    ownTypingTimer = setTimeout(stopOwnTyping, TYPING_IDLE_MS);
  }

  function stopOwnTyping() {
    clearTimeout(ownTypingTimer);
    if (!ownTyping) return;
    sendFrame({ type: 'typing', case_id: ownTyping.raw, on: false });
    ownTyping = null;
  }

  // ---- Erasure (#12): on the person's request, the whole conversation is deleted ---------
  async function eraseCase() {
    const shown = state.shown;
    if (!shown) return;
    const sure = window.confirm('Slette hele samtalen for godt? Alt personen og rådgiverne '
      + 'skrev, saken og notatene slettes, og det kan ikke angres. Bare tall til statistikken blir igjen.');
    if (!sure) return;
    try {
      await api('POST', casePath(shown.raw, 'erase'));
    } catch (err) {
      fail(err, 'Samtalen ble ikke slettet.');
      return;
    }
    forgetCase(shown.id);
    announce('Samtalen er slettet.');
  }

  function forgetCase(id) {
    state.cases.delete(id);
    state.unread.delete(id);
    state.crisis.delete(id);
    state.drafts.delete(id);
    if (state.shown && state.shown.id === id) {
      stopOwnTyping();
      state.shown = null;
      try { history.replaceState(null, '', location.pathname); } catch { /* file: pages */ }
    }
    renderView();
    renderCrisis();
  }

  $('desk-erase').addEventListener('click', eraseCase);

  // ---- Events -------------------------------------------------------------------------
  ui.loginForm.addEventListener('submit', login);
  ui.logout.addEventListener('click', logout);
  ui.take.addEventListener('click', take);
  ui.transfer.addEventListener('click', transfer);
  ui.close.addEventListener('click', askClose);
  ui.closeCancel.addEventListener('click', cancelClose);
  ui.closeConfirm.addEventListener('click', closeCase);
  ui.closeBox.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') { e.preventDefault(); cancelClose(); }
  });
  ui.replyForm.addEventListener('submit', (e) => { e.preventDefault(); sendReply(); });
  ui.reply.addEventListener('keydown', (e) => {
    // Enter sends, Shift+Enter is a new line; not while an input method is composing.
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); sendReply(); }
  });
  ui.reply.addEventListener('input', onReplyInput);
  ui.reply.addEventListener('blur', () => {
    if (state.shown) state.drafts.set(state.shown.id, ui.reply.value);
  });
  ui.noteForm.addEventListener('submit', (e) => { e.preventDefault(); saveNote(); });
  ui.note.addEventListener('keydown', (e) => {
    // Notes are often several lines, so plain Enter is a new line here.
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.isComposing) { e.preventDefault(); saveNote(); }
  });
  ui.lists.addEventListener('keydown', (e) => {
    // Arrow keys walk the case lists, so a long queue is not a long tab walk.
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const buttons = [...ui.lists.querySelectorAll('.desk-case-btn')];
    const i = buttons.indexOf(document.activeElement);
    if (i < 0) return;
    e.preventDefault();
    const next = buttons[i + (e.key === 'ArrowDown' ? 1 : -1)];
    if (next) next.focus();
  });
  // Who is online changes; the list is fetched again when the counsellor is about to choose.
  ui.transferTo.addEventListener('focus', () => { loadCounsellors(); });
  window.addEventListener('online', () => {
    if (state.me && !ws) { clearTimeout(retryTimer); attempt = 0; reconnect(); }
  });
  window.addEventListener('beforeunload', stopOwnTyping);
  window.addEventListener('hashchange', openFromAddress);
  window.addEventListener('resize', () => { if (state.shown) renderSummaryScroll(); });

  boot();
})();
