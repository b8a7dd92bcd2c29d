/* Veivalg counsellor desk: the page at /desk/, loaded as a module. HTTP and WebSocket
   API: docs/desk-api.md. Plain ES2020 modules, no build step, no external resources:
   desk-state.js (what the desk knows and how events change it), desk-words.js (what it
   says), desk-api.js (HTTP and the socket), desk-view.js (drawing). This module logs in,
   runs the counsellor's actions and passes every change's effects to the view. */

import { api, casePath, deskSocket, onSessionExpired } from './desk-api.js';
import {
  applyFrame, canReply, caseLoaded, createState, endSession as clearSession, forgetCase, key,
  noteFirstReply, remember, replaceCases, seeCrisis, showCase, startSession as beginSession, upsertCase,
} from './desk-state.js';
import {
  announce, appendMessage, clearAlert, initView, playAlarm, renderCase, renderCrisis, renderFacts,
  renderLists, renderNotes, renderNotices, renderStatus, renderSummaryScroll, renderTranscript, renderView,
  renderWaits, setPersonTyping, showAlert, ui, unfresh,
} from './desk-view.js';
import { TEXT, errorText, nameTopics, pauseText, undeliveredOf, undeliveredText } from './desk-words.js';

const WAIT_TICK_MS = 5000;       // waiting times are in minutes; 5 s keeps them honest
const TYPING_REFRESH_MS = 5000;  // at most one "typing on" per 5 s while keys keep coming
const TYPING_IDLE_MS = 4000;     // "typing off" after 4 s without keys
const FRESH_MS = 10000;          // how long a new case stays highlighted

const state = createState();
let waitTimer = 0;
let ownTyping = null;     // {id, raw, at}: the case our "typing on" was sent for
let ownTypingTimer = 0;

initView(state, { select: selectCase, dismissCrisis, transferShown: loadCounsellors });
onSessionExpired(sessionExpired);
const socket = deskSocket({
  loggedIn: () => Boolean(state.me),
  onFrame,
  onStatus: setConnection,
  onLost: () => { ownTyping = null; setPersonTyping(false); },
});

function fail(err, what) {
  if (err.status === 401) return; // the login form says it already
  showAlert(errorText(err, what));
}

// ---- Effects: what a state change (desk-state.js) asks of the page ---------------------
function apply(fx) {
  if (fx.stopOwnTyping) stopOwnTyping();
  if (fx.personTyping !== undefined) setPersonTyping(fx.personTyping);
  if (fx.fresh !== undefined) fadeLater(fx.fresh);
  if (fx.lists) renderLists();
  if (fx.shownCase && state.shown) renderCase();
  else if (fx.facts && state.shown) renderFacts(state.shown);
  if (fx.append) appendMessage(fx.append, false);
  if (fx.notes) renderNotes();
  if (fx.notices) renderNotices();
  if (fx.forgot !== undefined) forgotten(fx.wasShown);
  if (fx.crisis) renderCrisis();
  if (fx.alarm) playAlarm();
  if (fx.announce) announce(fx.announce);
  if (fx.hello) greeted();
  if (fx.expired) sessionExpired();
}

function fadeLater(id) {
  setTimeout(() => {
    state.fresh.delete(id);
    unfresh(id);
  }, FRESH_MS);
}

function forgotten(wasShown) {
  if (wasShown) {
    stopOwnTyping();
    try { history.replaceState(null, '', location.pathname); } catch { /* file: pages */ }
  }
  renderView();
  renderCrisis();
}

function dismissCrisis(id) {
  if (seeCrisis(state, id)) renderCrisis();
}

// ---- The socket -----------------------------------------------------------------------
function setConnection(value) {
  state.connection = value;
  renderStatus();
}

function onFrame(data) {
  let f;
  try { f = JSON.parse(data); } catch { return; }
  apply(applyFrame(state, f));
}

function greeted() {
  socket.settled();
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

// ---- Session --------------------------------------------------------------------------
function startSession(counsellor, { focus = true } = {}) {
  beginSession(state, counsellor);
  socket.settled();
  ui.loginError.textContent = '';
  ui.loginNote.textContent = '';
  clearAlert();
  renderView();
  loadCounsellors();
  loadTopics();
  // The list comes in the socket's hello too; this one shows the desk even if the socket is slow.
  api('GET', 'cases').then((data) => {
    if (state.me && !state.gotHello) { replaceCases(state, data.cases); renderLists(); openFromAddress(); }
  }).catch((err) => fail(err, 'Fikk ikke hentet sakene.'));
  socket.connect();
  clearInterval(waitTimer);
  waitTimer = setInterval(renderWaits, WAIT_TICK_MS);
  // The login button is gone; the keyboard goes on in the desk (not on a reload, though).
  if (focus) ui.main.focus();
}

function endSession(error, note = '') {
  if (state.shown && ui.reply.value) state.drafts.set(state.shown.id, ui.reply.value);
  stopOwnTyping();
  socket.disconnect();
  clearInterval(waitTimer);
  setPersonTyping(false);
  clearSession(state);
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

// ---- Cases ----------------------------------------------------------------------------
function selectCase(raw) {
  const id = key(raw);
  if (state.shown && state.shown.id === id && !state.shown.failed) return;
  leaveCase();
  if (showCase(state, raw).crisis) renderCrisis();
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
    const asked = shown.case;
    const data = await api('GET', casePath(shown.raw));
    if (state.shown !== shown) return; // another case was chosen meanwhile
    caseLoaded(state, shown, data.case, asked);
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

// Issue 14: the server names every case topic in Norwegian (data/topics.yml).
async function loadTopics() {
  try {
    const data = await api('GET', 'topics');
    nameTopics(data && data.topics);
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
    if (data.case) apply(upsertCase(state, data.case));
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
    if (data.case) apply(upsertCase(state, data.case));
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
  if (!shown || !canReply(state, shown.case)) return;
  const text = ui.reply.value;
  if (!text.trim()) { ui.reply.focus(); return; }
  // Emptied at once so the counsellor can go on; on failure the text comes back.
  ui.reply.value = '';
  state.drafts.delete(shown.id);
  stopOwnTyping();
  clearAlert();
  try {
    const data = await api('POST', casePath(shown.raw, 'messages'), { text });
    if (data.message && noteFirstReply(state, shown.id, data.message)) {
      apply({ lists: true, facts: Boolean(state.shown && state.shown.id === shown.id) });
    }
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

// ---- The counsellor's typing ----------------------------------------------------------
function onReplyInput() {
  const shown = state.shown;
  if (!shown || !canReply(state, shown.case)) return;
  if (!ui.reply.value) { stopOwnTyping(); return; }
  const now = Date.now();
  if (ownTyping && ownTyping.id !== shown.id) stopOwnTyping();
  // Throttled: one "on" now and again, not one per key.
  if (!ownTyping || now - ownTyping.at >= TYPING_REFRESH_MS) {
    if (socket.send({ type: 'typing', case_id: shown.raw, on: true })) ownTyping = { id: shown.id, raw: shown.raw, at: now };
  }
  clearTimeout(ownTypingTimer);
  ownTypingTimer = setTimeout(stopOwnTyping, TYPING_IDLE_MS);
}

function stopOwnTyping() {
  clearTimeout(ownTypingTimer);
  if (!ownTyping) return;
  socket.send({ type: 'typing', case_id: ownTyping.raw, on: false });
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
  apply(forgetCase(state, shown.id));
  announce('Samtalen er slettet.');
}

// ---- Events ---------------------------------------------------------------------------
ui.erase.addEventListener('click', eraseCase);
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
window.addEventListener('online', () => { if (state.me) socket.retryNow(); });
window.addEventListener('beforeunload', stopOwnTyping);
window.addEventListener('hashchange', openFromAddress);
window.addEventListener('resize', () => { if (state.shown) renderSummaryScroll(); });

boot();
