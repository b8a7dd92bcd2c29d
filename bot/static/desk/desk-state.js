/* What the desk knows, and how each event changes it: no DOM, no network, no timers, so
   every change is tested in Node (tests/js/desk_state.test.mjs).

   The functions change the state they are given and return the effects for the page
   (what to redraw, say or sound). The state is changed in place rather than copied:
   a case being loaded is recognised by identity (`state.shown !== shown` once another
   case was chosen), which a copy would break. */

import { TEXT, noticeUndeliveredText, topicText } from './desk-words.js';

export const RECENT_MS = 5000; // our own take/transfer: its echo is not news to us

// Ids are kept as strings (Map keys), whatever type the server uses; `raw` ids go back.
export const key = (id) => String(id);

export function createState() {
  return {
    me: null,               // {id, name, role} while logged in
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
    notices: new Map(),     // case id → Map(kind → notice the person did not get), since the page loaded
  };
}

// ---- Reading a case -------------------------------------------------------------------
export const assigneeId = (c) => {
  const a = c && c.assignee;
  if (a === null || a === undefined) return null;
  return key(typeof a === 'object' ? a.id : a);
};
// The case may carry the assignee as an object or an id; the counsellor list has the name.
export function assigneeName(state, c) {
  const a = c && c.assignee;
  if (a && typeof a === 'object' && a.name) return String(a.name);
  const id = assigneeId(c);
  if (id === null) return '';
  if (state.me && id === key(state.me.id)) return String(state.me.name);
  const known = state.counsellors.find((p) => key(p.id) === id);
  return known ? String(known.name) : 'en kollega';
}
export const isMine = (state, c) => Boolean(c && state.me && assigneeId(c) === key(state.me.id));
export const canReply = (state, c) => Boolean(c && c.status === 'open' && isMine(state, c));
export const isCrisis = (c) => Boolean(c && c.priority === 'urgent' && Array.isArray(c.tags) && c.tags.includes('crisis'));

// Urgent first, then who has waited longest.
export const queueOrder = (a, b) =>
  (b.priority === 'urgent') - (a.priority === 'urgent') ||
  (Number(a.waiting_since ?? a.created_at) || 0) - (Number(b.waiting_since ?? b.created_at) || 0) ||
  (Number(a.id) || 0) - (Number(b.id) || 0);

// The three lists on the left, each in queue order.
export function caseLists(state) {
  const all = [...state.cases.values()];
  return {
    queue: all.filter((c) => c.status === 'pending').sort(queueOrder),
    mine: all.filter((c) => c.status === 'open' && isMine(state, c)).sort(queueOrder),
    callbacks: all.filter((c) => c.status === 'snoozed').sort(queueOrder),
  };
}

// ---- Messages and notes ---------------------------------------------------------------
let seq = 0;
// Kept by id: the POST answer and the socket event bring the same one. True if it is new.
export function remember(map, item, timeField) {
  if (!item || typeof item !== 'object') return false;
  const k = item.id !== null && item.id !== undefined ? key(item.id) : `local-${++seq}`;
  if (map.has(k)) return false;
  const at = Number(item[timeField]);
  map.set(k, { m: item, at: Number.isFinite(at) ? at : Infinity, n: ++seq });
  return true;
}
// Oldest first; equal times in the order they came.
export const inOrder = (map) => [...map.values()].sort((a, b) => a.at - b.at || a.n - b.n);

// ---- Changes --------------------------------------------------------------------------
export function replaceCases(state, cases) {
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

// A case as the server sends it now (an event, or an action's answer). `created`: it is
// new to the desk (conversation.created), so it is announced.
export function upsertCase(state, c, { created = false, now = Date.now() } = {}) {
  if (!c || c.id === null || c.id === undefined) return {};
  const id = key(c.id);
  const before = state.cases.get(id);
  if (c.status === 'resolved') {
    state.cases.delete(id);
    state.unread.delete(id);
    state.crisis.delete(id);
  } else {
    state.cases.set(id, c);
  }
  const effects = { lists: true };
  const shown = state.shown;
  if (shown && shown.id === id) {
    // Keep what only the detail view has (contact) when a list-shaped case comes in.
    shown.case = { ...(shown.case || {}), ...c };
    effects.shownCase = true;
    if (!canReply(state, shown.case)) effects.stopOwnTyping = true;
    if (c.status === 'resolved') effects.personTyping = false;
  }
  const ours = now - (state.recent.get(id) || 0) < RECENT_MS;
  if (created && !before && (c.status === 'pending' || c.status === 'snoozed')) {
    state.fresh.set(id, now);
    effects.fresh = id;
    effects.announce = c.status === 'pending'
      ? `${TEXT.newCase}${c.priority === 'urgent' ? ' – haster' : ''}: ${topicText(c.topic)}.`
      : `${TEXT.newCallback}: ${topicText(c.topic)}.`;
  } else if (!ours && c.status === 'open' && isMine(state, c)
             && !(before && isMine(state, before) && before.status === 'open')) {
    // A colleague handed this case to us.
    state.fresh.set(id, now);
    effects.fresh = id;
    effects.announce = `Du har fått en sak: ${topicText(c.topic)}.`;
  }
  if (before && isCrisis(before)) effects.crisis = true; // where the case is now (queue, a colleague)
  return effects;
}

// A counsellor's message is the first reply by definition: no need to wait for a case event.
export function noteFirstReply(state, id, m, now = Date.now()) {
  if (!m || m.from !== 'counsellor') return false;
  const cases = [state.cases.get(id), state.shown && state.shown.id === id ? state.shown.case : null];
  let changed = false;
  for (const c of cases) {
    if (c && (c.first_reply_at === null || c.first_reply_at === undefined)) {
      c.first_reply_at = Number(m.timestamp) || now / 1000;
      changed = true;
    }
  }
  return changed;
}

export function addMessage(state, caseId, m, now = Date.now()) {
  if (!m || typeof m !== 'object') return {};
  const id = key(caseId);
  const shown = state.shown;
  const effects = {};
  if (noteFirstReply(state, id, m, now)) {
    effects.lists = true;
    if (shown && shown.id === id) effects.facts = true;
  }
  if (shown && shown.id === id) {
    if (m.from === 'user') effects.personTyping = false;
    if (remember(shown.messages, m, 'timestamp') && !shown.loading) effects.append = m;
  } else if (m.from === 'user' && state.cases.has(id)) {
    // What the person wrote before the handoff is part of the case, not news.
    const c = state.cases.get(id);
    if (Number(m.timestamp) <= Number(c.created_at)) return effects;
    state.unread.add(id);
    effects.lists = true;
  }
  return effects;
}

export function addNote(state, caseId, n) {
  const shown = state.shown;
  const fresh = Boolean(shown && shown.id === key(caseId) && remember(shown.notes, n, 'created_at'));
  return fresh && !shown.loading ? { notes: true } : {};
}

// ---- Notices the person did not get ---------------------------------------------------
// `notice.undelivered`: the person was not told a counsellor joined or left, their place in
// the queue, or asked to rate. Kept per case, the latest of each kind (and counsellor), so
// the case view says it whenever the case is shown; the case on the right says it at once.
export function noteUndeliveredNotice(state, f, now = Date.now()) {
  const u = f.undelivered;
  if (f.case_id === null || f.case_id === undefined || !u || typeof u !== 'object') return {};
  const id = key(f.case_id);
  const shown = Boolean(state.shown && state.shown.id === id);
  if (!state.cases.has(id) && !shown) return {}; // closed and not on screen: nobody to tell
  const notice = typeof f.notice === 'string' ? f.notice : '';
  const counsellor = f.counsellor && typeof f.counsellor === 'object' ? f.counsellor : null;
  const entry = { notice, counsellor, undelivered: u, at: now };
  if (!state.notices.has(id)) state.notices.set(id, new Map());
  state.notices.get(id).set(`${notice}:${counsellor ? key(counsellor.id) : ''}`, entry);
  return shown ? { notices: true, announce: noticeUndeliveredText(entry, state.me && state.me.id) } : {};
}

// The case's notices the person did not get, oldest first.
export const undeliveredNotices = (state, id) =>
  [...(state.notices.get(key(id))?.values() ?? [])].sort((a, b) => a.at - b.at);

// ---- A person in crisis ---------------------------------------------------------------
// `helpLinesUndelivered`: why the help lines did not reach the person (the counsellor must
// not read that they did); null when they arrived, or when this alert is not about that.
// An alert without words (the help lines of the bot's reply did not arrive, told after the
// case's first alert) keeps the words that alert showed.
export function raiseCrisis(state, c, text, now = Date.now(), helpLinesUndelivered = null) {
  if (!c || c.id === null || c.id === undefined || c.status === 'resolved') return {};
  const id = key(c.id);
  state.seenCrisis.delete(id); // new words from the person: a new alert
  const undelivered = helpLinesUndelivered && typeof helpLinesUndelivered === 'object'
    ? helpLinesUndelivered : null;
  const words = typeof text === 'string' && text ? text : (state.crisis.get(id)?.text ?? '');
  state.crisis.set(id, { text: words, at: now, undelivered });
  const announce = `Haster: krise i en sak (${topicText(c.topic)}).`
    + (undelivered ? ` ${TEXT.helpLinesUndelivered}` : '');
  return { crisis: true, alarm: true, announce };
}

// Opened or dismissed here: the alert goes, and the case's next hello raises none.
export function seeCrisis(state, id) {
  if (!state.crisis.delete(id)) return false;
  state.seenCrisis.add(id);
  return true;
}

// The alerts to show: closed cases and logged-out desks keep none.
export function crisisAlerts(state) {
  for (const id of [...state.crisis.keys()]) if (!state.cases.has(id)) state.crisis.delete(id);
  return state.me ? [...state.crisis.entries()] : [];
}

// ---- Whole-desk changes ---------------------------------------------------------------
// The socket's first frame: who we are and every case now.
export function hello(state, frame, now = Date.now()) {
  if (frame.counsellor && typeof frame.counsellor === 'object') state.me = { ...state.me, ...frame.counsellor };
  state.gotHello = true;
  replaceCases(state, frame.cases);
  for (const c of state.cases.values()) {
    const id = key(c.id);
    if (isCrisis(c) && c.status === 'pending' && !state.seenCrisis.has(id) && !state.crisis.has(id)) {
      state.crisis.set(id, { text: '', at: now });
    }
  }
  state.connection = 'online';
  return { hello: true };
}

// Erased (#12): nothing of the case stays on this desk.
export function forgetCase(state, id) {
  state.cases.delete(id);
  state.notices.delete(id);
  state.unread.delete(id);
  state.crisis.delete(id);
  state.drafts.delete(id);
  const wasShown = Boolean(state.shown && state.shown.id === id);
  if (wasShown) state.shown = null;
  return { forgot: id, wasShown };
}

// The case on the right as its details came back; `asked`: the case as it was when they
// were asked for. A take, transfer or socket event seen while they were on their way
// (each gives the shown case a new object) is newer than what the server read then: it
// stands, and the details add only what the lists lack (the contact).
export function caseLoaded(state, shown, loaded, asked) {
  const c = loaded && shown.case && shown.case !== asked
    ? { ...loaded, ...shown.case } : loaded || shown.case;
  shown.case = c;
  shown.raw = c && c.id !== undefined ? c.id : shown.raw;
  if (c && c.status !== 'resolved') state.cases.set(shown.id, c); else state.cases.delete(shown.id);
}

// The case on the right becomes this one, loading; its unread mark and alert are seen.
export function showCase(state, raw) {
  const id = key(raw);
  state.shown = {
    id, raw, case: state.cases.get(id) || null, loading: true, failed: false,
    messages: new Map(), notes: new Map(), confirmClose: false,
  };
  state.unread.delete(id);
  // Closed cases, once off the screen, keep no notices.
  for (const k of [...state.notices.keys()]) if (k !== id && !state.cases.has(k)) state.notices.delete(k);
  return { crisis: seeCrisis(state, id) };
}

export function startSession(state, counsellor) {
  state.me = { id: counsellor?.id, name: counsellor?.name ?? '', role: counsellor?.role ?? 'counsellor' };
  state.gotHello = false;
}

// Logged out or expired; the drafts stay unless the counsellor logged out on purpose.
export function endSession(state) {
  Object.assign(state, { me: null, shown: null, counsellors: [], connection: '', gotHello: false });
  state.cases.clear();
  state.unread.clear();
  state.fresh.clear();
  state.crisis.clear();
  state.notices.clear();
}

// ---- The socket's events --------------------------------------------------------------
// One desk socket frame (docs/desk-api.md): changes the state, returns the effects.
export function applyFrame(state, f, now = Date.now()) {
  if (!f || typeof f !== 'object') return {};
  switch (f.type) {
    case 'hello':
      return hello(state, f, now);
    case 'conversation.created':
      return upsertCase(state, f.case, { created: true, now });
    case 'conversation.status_changed':
    case 'conversation.priority_changed':
    case 'assignee.changed':
      return upsertCase(state, f.case, { now });
    case 'conversation.urgent':
      // The alert's words win over the case's own announcement.
      return { ...upsertCase(state, f.case, { now }),
        ...raiseCrisis(state, f.case, f.text, now, f.help_lines_undelivered) };
    case 'message.created':
      return addMessage(state, f.case_id, f.message, now);
    case 'note.created':
      return addNote(state, f.case_id, f.note);
    case 'notice.undelivered':
      return noteUndeliveredNotice(state, f, now);
    case 'conversation.erased':
      return forgetCase(state, key(f.case_id));
    case 'conversation.typing_on':
    case 'conversation.typing_off':
      // Only the person's typing is shown; a colleague's (or our own echo) is not news.
      if (f.from !== 'user' || !state.shown || state.shown.id !== key(f.case_id)) return {};
      return { personTyping: f.type === 'conversation.typing_on' };
    case 'error':
      return f.error === 'not_logged_in' || f.code === 'not_logged_in' ? { expired: true } : {};
    default: // event types added later
      return {};
  }
}
