/* Drawing the desk from its state (desk-state.js): one function per area of the page.
   Data reaches the DOM through textContent only; links are made only for http(s) URLs. */

import {
  assigneeName, canReply, caseLists, crisisAlerts, inOrder, isMine, key, undeliveredNotices,
} from './desk-state.js';
import {
  BOT, CHANNEL, CONTACT, MESSAGE_ALERTS, PRIORITY, STATUS, TAG, TEXT, helpLinesUndeliveredText, languageText,
  noticeUndeliveredText, personName, toDate,
  topicText, undeliveredOf, undeliveredText, waitText,
} from './desk-words.js';

const TYPING_TIMEOUT_MS = 30000; // a lost "typing off" must not leave the indicator on
const FROM = new Set(['user', 'bot', 'counsellor']);

// ---- DOM helpers ----------------------------------------------------------------------
export const $ = (id) => document.getElementById(id);
export const h = (tag, attrs = {}, ...kids) => {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  el.append(...kids.filter((k) => k !== null && k !== undefined && k !== false));
  return el;
};

export const ui = {
  account: $('desk-account'), me: $('desk-me'), logout: $('desk-logout'), status: $('desk-status'),
  lists: $('desk-lists'), main: $('desk-main'), alert: $('desk-alert'), announce: $('desk-announce'),
  loading: $('desk-loading'), loginView: $('desk-login-view'), loginForm: $('desk-login-form'),
  login: $('desk-login'), password: $('desk-password'), loginError: $('desk-login-error'),
  loginNote: $('desk-login-note'), loginSubmit: $('desk-login-submit'),
  queue: $('desk-queue'), mine: $('desk-mine'), callbacks: $('desk-callbacks'),
  nocase: $('desk-nocase'), caseView: $('desk-case'), caseTitle: $('desk-case-title'),
  caseState: $('desk-case-state'), notices: $('desk-notices'), take: $('desk-take'), transferBox: $('desk-transfer-box'),
  transferTo: $('desk-transfer-to'), transfer: $('desk-transfer'), close: $('desk-close'),
  closeBox: $('desk-close-box'), closeConfirm: $('desk-close-confirm'), closeCancel: $('desk-close-cancel'),
  erase: $('desk-erase'), insightsLink: $('desk-insights-link'),
  transcript: $('desk-transcript'), typing: $('desk-typing'), replyForm: $('desk-reply-form'),
  reply: $('desk-reply'), replyHint: $('desk-reply-hint'), send: $('desk-send'),
  summaryArea: $('desk-summary-area'), summary: $('desk-summary'), callback: $('desk-callback'), question: $('desk-question'),
  contact: $('desk-contact'), facts: $('desk-facts'), notes: $('desk-notes'),
  notesEmpty: $('desk-notes-empty'), noteForm: $('desk-note-form'), note: $('desk-note'),
  noteSave: $('desk-note-save'), crisis: $('desk-crisis'), crisisList: $('desk-crisis-list'),
};
const REPLY_HINT = ui.replyHint.textContent;
const PAGE_TITLE = document.title;

// The state drawn, and what the page's own controls do (the entry module, desk.js).
let state = null;
let on = { select: () => {}, dismissCrisis: () => {}, transferShown: () => {} };
export function initView(deskState, handlers) {
  state = deskState;
  on = handlers;
}

const TIME = new Intl.DateTimeFormat('nb-NO', { hour: '2-digit', minute: '2-digit' });
const DAY_TIME = new Intl.DateTimeFormat('nb-NO', {
  day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit',
});
const clock = (d) => (d.toDateString() === new Date().toDateString() ? TIME.format(d) : DAY_TIME.format(d));
const timeEl = (sec) => {
  const d = toDate(sec);
  return d ? h('time', { datetime: d.toISOString(), text: clock(d) }) : null;
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

// ---- Messages to the counsellor -------------------------------------------------------
export function showAlert(text) { ui.alert.textContent = text || ''; }
export const clearAlert = () => showAlert('');
let announceTimer = 0;
export function announce(text) {
  // Emptied first and filled a moment later, so that the same words are read again.
  clearTimeout(announceTimer);
  ui.announce.textContent = '';
  announceTimer = setTimeout(() => { ui.announce.textContent = text; }, 60);
}

// ---- Rendering: one function per area ------------------------------------------------
export function renderView() {
  const loggedIn = Boolean(state.me);
  ui.loading.hidden = true;
  ui.loginView.hidden = loggedIn;
  ui.account.hidden = !loggedIn;
  ui.lists.hidden = !loggedIn;
  document.body.classList.toggle('desk-in', loggedIn);
  ui.me.textContent = loggedIn ? String(state.me.name) : '';
  ui.insightsLink.hidden = !(loggedIn && state.me.role === 'lead'); // leads only
  ui.nocase.hidden = !loggedIn || Boolean(state.shown);
  renderStatus();
  renderLists();
  renderCase();
}

export function renderStatus() {
  ui.status.dataset.state = state.connection || 'offline';
  ui.status.textContent = state.connection ? TEXT[state.connection] : '';
}

export function renderLists() {
  const lists = caseLists(state);
  const groups = [[ui.queue, 'queue'], [ui.mine, 'mine'], [ui.callbacks, 'callbacks']];
  // Lists are rebuilt whole; keep the keyboard where it was.
  const focused = document.activeElement && document.activeElement.closest('.desk-case');
  const focusedId = focused ? focused.dataset.caseId : null;
  for (const [list, name] of groups) {
    const cases = lists[name];
    list.replaceChildren(...cases.map((c) => caseItem(c, name)));
    $(`desk-${name}-count`).textContent = cases.length ? `(${cases.length})` : '';
    $(`desk-${name}-empty`).hidden = cases.length > 0;
  }
  if (focusedId !== null) {
    const again = document.querySelector(`.desk-case[data-case-id="${CSS.escape(focusedId)}"] button`);
    if (again) again.focus();
  }
  renderTitle(lists.queue.length);
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
  button.addEventListener('click', () => on.select(c.id));
  li.append(button);
  return li;
}

// The highlight of a new case has run its time.
export function unfresh(id) {
  const li = document.querySelector(`.desk-case[data-case-id="${CSS.escape(id)}"]`);
  if (li) li.classList.remove('desk-fresh');
}

function renderTitle(pending) {
  // A background tab still tells the counsellor there is work: count and a dot for unread.
  document.title = `${state.unread.size ? '● ' : ''}${pending ? `(${pending}) ` : ''}${PAGE_TITLE}`;
}

export function renderWaits() {
  for (const el of document.querySelectorAll('[data-since]')) {
    el.textContent = waitText(el.dataset.since, el.dataset.prefix ?? 'venter ');
  }
}

export function renderCase() {
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
    const who = assigneeName(state, c);
    if (c.status === 'open') line.push(h('span', { text: isMine(state, c) ? 'Du har saken.' : `Saken er hos ${who}.` }));
    else if (c.status === 'pending' && c.position) line.push(h('span', { text: `Nummer ${c.position} i køen.` }));
    else if (c.status === 'resolved') line.push(h('span', { text: 'Veivalg har tatt over samtalen igjen.' }));
  } else if (shown.loading) {
    line.push(h('span', { text: 'Henter saken …' }));
  }
  ui.caseState.replaceChildren(...line);

  renderNotices();
  renderActions(shown);
  renderSummary(shown);
  renderFacts(shown);
  renderReply(shown);
  renderSummaryScroll();
}

// What the person was not told (a counsellor joined or left, their place, the rating), and why.
export function renderNotices() {
  const shown = state.me ? state.shown : null;
  const notices = shown ? undeliveredNotices(state, shown.id) : [];
  ui.notices.hidden = notices.length === 0;
  ui.notices.replaceChildren(...notices.map((n) => h('li', { class: 'desk-notice-undelivered',
    'data-notice': n.notice }, noticeUndeliveredText(n, state.me.id))));
}

function renderActions(shown) {
  const c = shown.case;
  const status = c ? c.status : '';
  const mine = isMine(state, c);
  ui.take.hidden = !(status === 'pending' || status === 'snoozed');
  const wasHidden = ui.transferBox.hidden;
  ui.transferBox.hidden = !(status === 'open' && mine);
  // Who is online is not an event: ask again whenever the transfer controls appear.
  if (wasHidden && !ui.transferBox.hidden) on.transferShown();
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
export function renderSummaryScroll() {
  const scrolls = ui.summaryArea.scrollHeight > ui.summaryArea.clientHeight + 1;
  if (scrolls) ui.summaryArea.setAttribute('tabindex', '0'); else ui.summaryArea.removeAttribute('tabindex');
}

export function renderFacts(shown) {
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
  const ok = canReply(state, c);
  ui.reply.disabled = !ok;
  ui.send.disabled = !ok;
  let why = REPLY_HINT;
  if (!ok && c) {
    if (c.status === 'resolved') why = 'Samtalen er avsluttet.';
    else if (c.status === 'open') why = `Saken er hos ${assigneeName(state, c)}. Bare den som har saken, kan svare.`;
    else why = 'Ta saken for å svare personen.';
  }
  ui.replyHint.textContent = why;
}

export function renderTranscript() {
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
    ui.transcript.replaceChildren(...inOrder(shown.messages).map((e) => messageEl(e.m)));
  }
  ui.transcript.scrollTop = ui.transcript.scrollHeight;
  // Screen readers pick up changes a little later; wait before turning it back on.
  setTimeout(() => ui.transcript.setAttribute('aria-live', 'polite'), 1000);
}

export function appendMessage(m, force) {
  // Follow new messages only if the counsellor is not reading further up.
  const t = ui.transcript;
  const atEnd = t.scrollHeight - t.scrollTop - t.clientHeight < 80;
  const placeholder = t.querySelector(':scope > [data-placeholder]');
  if (placeholder) placeholder.remove();
  t.append(messageEl(m));
  if (atEnd || force) t.scrollTop = t.scrollHeight;
}

function messageEl(m) {
  const from = FROM.has(m.from) ? m.from : '';
  if (!from) {
    // Something the API does not describe (an activity line?): shown, never as a message.
    return h('p', { class: 'desk-event', text: String(m.text ?? '') });
  }
  let who = 'Person';
  if (from === 'bot') who = BOT;
  if (from === 'counsellor') who = m.name ? String(m.name) : 'Rådgiver';
  const alert = MESSAGE_ALERTS[m.alert] ? m.alert : null;
  const undelivered = undeliveredOf(m);
  const el = h('div', { class: 'desk-msg', 'data-from': from, 'data-id': m.id ?? null, 'data-alert': alert,
    'data-delivery': undelivered ? 'failed' : null });
  el.append(h('p', { class: 'desk-meta' }, h('span', { class: 'desk-who', text: who }), ' ', timeEl(m.timestamp),
    alert ? ' ' : null, alert ? h('span', { class: 'desk-msg-flag', text: MESSAGE_ALERTS[alert] }) : null,
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

export function renderNotes() {
  const shown = state.me ? state.shown : null;
  const notes = shown ? inOrder(shown.notes) : [];
  ui.notes.replaceChildren(...notes.map(({ m: n }) => h('li', { class: 'desk-note-item', 'data-id': n.id ?? null },
    h('p', { class: 'desk-meta' },
      h('span', { class: 'desk-who', text: personName(n.author) || 'Rådgiver' }), ' ', timeEl(n.created_at)),
    (() => { const p = h('p', { class: 'desk-note-text' }); fillText(p, String(n.text ?? '')); return p; })())));
  ui.notesEmpty.hidden = notes.length > 0 || !shown || shown.loading;
}

let personTypingTimer = 0;
export function setPersonTyping(typing) {
  clearTimeout(personTypingTimer);
  ui.typing.replaceChildren();
  if (!typing) return;
  ui.typing.append(h('span', { class: 'desk-dots', 'aria-hidden': 'true' }, h('span'), h('span'), h('span')),
    h('span', { text: TEXT.typing }));
  personTypingTimer = setTimeout(() => setPersonTyping(false), TYPING_TIMEOUT_MS);
}

// ---- A person in crisis ---------------------------------------------------------------
export function renderCrisis() {
  const alerts = crisisAlerts(state);
  ui.crisis.hidden = alerts.length === 0;
  ui.crisisList.replaceChildren(...alerts.map(([id, a]) => {
    const c = state.cases.get(id) || {};
    const where = c.status === 'open' ? `hos ${assigneeName(state, c) || 'en kollega'}` : 'i køen';
    const item = h('li', { class: 'desk-crisis-item', 'data-case-id': id },
      h('span', { text: `Sak ${id} (${languageText(c.language)}), ${where}.` }),
      a.text ? h('span', { class: 'desk-crisis-quote', text: `«${a.text}»` }) : null,
      a.undelivered
        ? h('span', { class: 'desk-crisis-undelivered', text: helpLinesUndeliveredText(a.undelivered) })
        : h('span', { text: TEXT.helpLinesSent }));
    const open = h('button', { type: 'button', class: 'desk-btn', text: 'Åpne saken' });
    open.addEventListener('click', () => on.select(c.id ?? id));
    const dismiss = h('button', { type: 'button', class: 'desk-btn', text: 'Skjul varselet' });
    dismiss.addEventListener('click', () => on.dismissCrisis(id));
    item.append(open, dismiss);
    return item;
  }));
}

let audio = null;
// Two short tones from the page itself: no sound file to fetch, and a muted tab still
// shows the banner. Browsers allow sound after the counsellor has used the page (login).
export function playAlarm() {
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
