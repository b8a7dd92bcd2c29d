// The desk's state changes (bot/static/desk/desk-state.js), one socket event at a time,
// without a browser: `node --test tests/js` (run by tests/unit/test_desk_js.py).
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';

import {
  RECENT_MS, applyFrame, caseLists, caseLoaded, createState, crisisAlerts, endSession, forgetCase, inOrder,
  queueOrder, remember, replaceCases, showCase, startSession, undeliveredNotices,
} from '../../bot/static/desk/desk-state.js';
import {
  helpLinesUndeliveredText, noticeUndeliveredText, undeliveredOf, undeliveredText,
} from '../../bot/static/desk/desk-words.js';

const NOW = 1_800_000_000_000; // ms; the cases' times below are seconds before it
const ME = { id: 7, name: 'Tove', role: 'counsellor' };
const COLLEAGUE = { id: 8, name: 'Arne' };

const pending = (id, extra = {}) => ({
  id, status: 'pending', priority: 'medium', topic: 'student_finance', tags: [],
  created_at: 1000 + id, waiting_since: 1000 + id, assignee: null, first_reply_at: null, ...extra,
});
const crisisCase = (id, extra = {}) => pending(id, { priority: 'urgent', tags: ['crisis'], topic: 'crisis', ...extra });
const ids = (cases) => cases.map((c) => c.id);

// A desk logged in as Tove that has had its hello with these cases.
function desk(cases = []) {
  const state = createState();
  startSession(state, ME);
  applyFrame(state, { type: 'hello', counsellor: ME, cases }, NOW);
  return state;
}

// The case Tove has open on the right, loaded.
function showing(state, id) {
  showCase(state, id);
  state.shown.loading = false;
  return state.shown;
}

describe('hello', () => {
  test('replaces the cases, keeps none resolved, and says the desk is online', () => {
    const state = createState();
    startSession(state, ME);
    state.unread.add('99');
    const fx = applyFrame(state, {
      type: 'hello', counsellor: { ...ME, role: 'lead' },
      cases: [pending(1), pending(2, { status: 'resolved' }), { status: 'pending' }],
    }, NOW);
    assert.deepEqual(fx, { hello: true });
    assert.deepEqual([...state.cases.keys()], ['1']);
    assert.equal(state.me.role, 'lead');
    assert.equal(state.gotHello, true);
    assert.equal(state.connection, 'online');
    assert.equal(state.unread.has('99'), false); // a vanished case keeps no unread mark
  });

  test('a person in crisis still waiting is alerted, unless seen here already', () => {
    const state = desk([crisisCase(1), crisisCase(2), crisisCase(3, { status: 'open', assignee: COLLEAGUE })]);
    assert.deepEqual([...state.crisis.keys()].sort(), ['1', '2']);
    showCase(state, 2); // opened here: seen
    applyFrame(state, { type: 'hello', cases: [crisisCase(1), crisisCase(2)] }, NOW);
    assert.deepEqual([...state.crisis.keys()], ['1']);
  });
});

describe('conversation.created: a case opened', () => {
  test('goes into the queue, highlighted and announced', () => {
    const state = desk();
    const fx = applyFrame(state, { type: 'conversation.created', case: pending(4) }, NOW);
    assert.deepEqual(ids(caseLists(state).queue), [4]);
    assert.equal(state.fresh.get('4'), NOW);
    assert.equal(fx.fresh, '4');
    assert.equal(fx.lists, true);
    assert.equal(fx.announce, 'Ny sak i køen: Studiefinansiering.');
  });

  test('an urgent one says so, a left question is announced as one', () => {
    const state = desk();
    const urgent = applyFrame(state, { type: 'conversation.created', case: crisisCase(5) }, NOW);
    assert.equal(urgent.announce, 'Ny sak i køen – haster: Krise.');
    const left = applyFrame(state, { type: 'conversation.created', case: pending(6, { status: 'snoozed' }) }, NOW);
    assert.equal(left.announce, 'Nytt ubesvart spørsmål: Studiefinansiering.');
    assert.deepEqual(ids(caseLists(state).callbacks), [6]);
  });

  test('a case the desk knows already is not announced again', () => {
    const state = desk([pending(4)]);
    const fx = applyFrame(state, { type: 'conversation.created', case: pending(4) }, NOW);
    assert.equal(fx.announce, undefined);
    assert.equal(state.fresh.has('4'), false);
  });
});

describe('the queue order', () => {
  test('urgent first, then who has waited longest, then the lower id', () => {
    const cases = [pending(3, { waiting_since: 500 }), pending(1, { waiting_since: 900 }),
      crisisCase(9, { waiting_since: 2000 }), pending(2, { waiting_since: 500 })];
    assert.deepEqual(ids([...cases].sort(queueOrder)), [9, 2, 3, 1]);
  });

  test('a case made urgent goes to the top of the queue, and every desk is alerted', () => {
    const state = desk([pending(1), pending(2), pending(3)]);
    state.seenCrisis.add('3'); // an earlier alert, dismissed: new words make a new one
    const fx = applyFrame(state, {
      type: 'conversation.urgent', case: crisisCase(3), reason: 'crisis', text: 'orker ikke mer',
    }, NOW);
    assert.deepEqual(ids(caseLists(state).queue), [3, 1, 2]);
    assert.deepEqual(state.crisis.get('3'), { text: 'orker ikke mer', at: NOW, undelivered: null });
    assert.equal(state.seenCrisis.has('3'), false);
    assert.equal(fx.alarm, true);
    assert.equal(fx.crisis, true);
    assert.equal(fx.announce, 'Haster: krise i en sak (Krise).'); // the alert's words win
    assert.deepEqual(crisisAlerts(state).map(([id]) => id), ['3']);
  });

  test('conversation.urgent says so when the help lines did not reach the person', () => {
    const state = desk([pending(1)]);
    const blocked = { reason: 'blocked', detail: 'Forbidden: bot was blocked by the user',
      channel: 'telegram', parts: 1, delivered_parts: 0 };
    const fx = applyFrame(state, {
      type: 'conversation.urgent', case: crisisCase(1), reason: 'crisis', text: 'vil ikke leve',
      help_lines_undelivered: blocked,
    }, NOW);
    assert.deepEqual(state.crisis.get('1').undelivered, blocked);
    assert.match(fx.announce, /Numrene til hjelpetelefonene kom ikke fram til personen\./);
    assert.equal(helpLinesUndeliveredText(blocked),
      'Numrene til hjelpetelefonene kom ikke fram til personen. '
      + 'Personen har blokkert Veivalg eller slettet kontoen sin. '
      + '(Forbidden: bot was blocked by the user)');
  });

  test('the bot\'s help lines not arriving, told after the first alert, keep its words', () => {
    const state = desk([pending(1)]);
    applyFrame(state, {
      type: 'conversation.urgent', case: crisisCase(1), reason: 'crisis', text: 'vil ikke leve',
      help_lines_undelivered: null,
    }, NOW);
    const blocked = { reason: 'blocked', detail: '', channel: 'facebook', parts: 1,
      delivered_parts: 0 };
    const fx = applyFrame(state, {
      type: 'conversation.urgent', case: crisisCase(1), reason: 'crisis', text: null,
      help_lines_undelivered: blocked,
    }, NOW + 1);
    assert.deepEqual(state.crisis.get('1'), { text: 'vil ikke leve', at: NOW + 1, undelivered: blocked });
    assert.equal(fx.alarm, true);
    assert.match(fx.announce, /Numrene til hjelpetelefonene kom ikke fram til personen\./);
    // With no alert before it, there are no words to keep.
    applyFrame(state, { type: 'conversation.urgent', case: crisisCase(2), reason: 'crisis',
      text: null, help_lines_undelivered: blocked }, NOW);
    assert.equal(state.crisis.get('2').text, '');
  });

  test('conversation.priority_changed moves the case too', () => {
    const state = desk([pending(1), pending(2)]);
    applyFrame(state, { type: 'conversation.priority_changed', case: crisisCase(2) }, NOW);
    assert.deepEqual(ids(caseLists(state).queue), [2, 1]);
  });
});

describe('assignee.changed: a case taken', () => {
  test('by a colleague: out of the queue, in nobody\'s list here, and no news', () => {
    const state = desk([pending(1), pending(2)]);
    const fx = applyFrame(state, {
      type: 'assignee.changed', case: pending(1, { status: 'open', assignee: COLLEAGUE }),
    }, NOW);
    const lists = caseLists(state);
    assert.deepEqual(ids(lists.queue), [2]);
    assert.deepEqual(ids(lists.mine), []);
    assert.equal(fx.announce, undefined);
  });

  test('handed to us by a colleague: in "mine", highlighted and announced', () => {
    const state = desk([pending(1, { status: 'open', assignee: COLLEAGUE })]);
    const fx = applyFrame(state, {
      type: 'assignee.changed', case: pending(1, { status: 'open', assignee: { id: 7, name: 'Tove' } }),
    }, NOW);
    assert.deepEqual(ids(caseLists(state).mine), [1]);
    assert.equal(fx.fresh, '1');
    assert.equal(fx.announce, 'Du har fått en sak: Studiefinansiering.');
  });

  test('taken by us a moment ago: the echo is not news', () => {
    const state = desk([pending(1)]);
    state.recent.set('1', NOW - RECENT_MS + 1);
    const fx = applyFrame(state, { type: 'assignee.changed', case: pending(1, { status: 'open', assignee: 7 }) }, NOW);
    assert.deepEqual(ids(caseLists(state).mine), [1]);
    assert.equal(fx.announce, undefined);
    assert.equal(state.fresh.has('1'), false);
  });

  test('the open case taken away from us: we stop typing and it is redrawn', () => {
    const state = desk([pending(1, { status: 'open', assignee: 7 })]);
    showing(state, 1);
    state.shown.case = { ...state.cases.get('1'), contact: 'ola@example.no' };
    const fx = applyFrame(state, { type: 'assignee.changed', case: pending(1, { status: 'open', assignee: 8 }) }, NOW);
    assert.equal(fx.shownCase, true);
    assert.equal(fx.stopOwnTyping, true);
    assert.equal(state.shown.case.assignee, 8);
    assert.equal(state.shown.case.contact, 'ola@example.no'); // the detail view's field is kept
  });
});

describe('a case\'s details loaded', () => {
  const callback = (extra = {}) => pending(1, { kind: 'callback', contact: 'ola@example.no', ...extra });

  test('nothing seen meanwhile: the details are the case', () => {
    const state = desk([pending(1)]);
    showCase(state, 1);
    const asked = state.shown.case;
    caseLoaded(state, state.shown, callback({ position: 1 }), asked);
    assert.equal(state.shown.case.contact, 'ola@example.no');
    assert.equal(state.cases.get('1').position, 1);
  });

  test('taken by us while they were on their way: the take stands, the contact is added', () => {
    const state = desk([pending(1)]);
    showCase(state, 1);
    const asked = state.shown.case;
    applyFrame(state, { type: 'assignee.changed', case: pending(1, { status: 'open', assignee: ME }) }, NOW);
    caseLoaded(state, state.shown, callback(), asked); // read before the take
    assert.equal(state.shown.case.status, 'open');
    assert.equal(state.cases.get('1').status, 'open');
    assert.equal(state.shown.case.contact, 'ola@example.no');
    assert.deepEqual(ids(caseLists(state).mine), [1]);
  });

  test('closed meanwhile: it stays out of the lists', () => {
    const state = desk([pending(1)]);
    showCase(state, 1);
    const asked = state.shown.case;
    applyFrame(state, { type: 'conversation.status_changed', case: pending(1, { status: 'resolved' }) }, NOW);
    caseLoaded(state, state.shown, pending(1), asked);
    assert.equal(state.cases.has('1'), false);
  });

  test('a reconnect\'s hello meanwhile is newer too', () => {
    const state = desk([pending(1)]);
    showCase(state, 1);
    const asked = state.shown.case;
    applyFrame(state, { type: 'hello', counsellor: ME, cases: [pending(1, { status: 'open', assignee: ME })] }, NOW);
    caseLoaded(state, state.shown, pending(1), asked);
    assert.equal(state.shown.case.status, 'open');
  });
});

describe('message.created', () => {
  test('in the open case: shown once, though the POST answer and the socket both bring it', () => {
    const state = desk([pending(1, { status: 'open', assignee: 7 })]);
    showing(state, 1);
    const m = { id: 'm1', from: 'user', text: 'Hei', timestamp: 2000 };
    const fx = applyFrame(state, { type: 'message.created', case_id: 1, message: m }, NOW);
    assert.equal(fx.append, m);
    assert.equal(fx.personTyping, false); // the person sent what they were typing
    assert.equal(applyFrame(state, { type: 'message.created', case_id: 1, message: { ...m } }, NOW).append, undefined);
    assert.equal(state.shown.messages.size, 1);
    assert.equal(state.unread.size, 0);
  });

  test('while the case is loading: kept, drawn with the transcript', () => {
    const state = desk([pending(1)]);
    showCase(state, 1); // loading
    const fx = applyFrame(state, { type: 'message.created', case_id: '1', message: { id: 5, from: 'user', timestamp: 2000 } }, NOW);
    assert.equal(fx.append, undefined);
    assert.equal(state.shown.messages.has('5'), true);
  });

  test('from the person in another case: unread; what they wrote before the handoff: not', () => {
    const state = desk([pending(1, { created_at: 1500 }), pending(2)]);
    showing(state, 2);
    assert.deepEqual(applyFrame(state, { type: 'message.created', case_id: 1,
      message: { id: 1, from: 'user', timestamp: 1400 } }, NOW), {});
    assert.equal(state.unread.has('1'), false);
    const fx = applyFrame(state, { type: 'message.created', case_id: 1, message: { id: 2, from: 'user', timestamp: 1600 } }, NOW);
    assert.equal(fx.lists, true);
    assert.equal(state.unread.has('1'), true);
    showCase(state, 1); // opening the case reads it
    assert.equal(state.unread.has('1'), false);
  });

  test('a counsellor\'s message is the first reply', () => {
    const state = desk([pending(1, { status: 'open', assignee: 7 })]);
    const shown = showing(state, 1);
    const fx = applyFrame(state, { type: 'message.created', case_id: 1,
      message: { id: 3, from: 'counsellor', timestamp: 2100 } }, NOW);
    assert.equal(state.cases.get('1').first_reply_at, 2100);
    assert.equal(shown.case.first_reply_at, 2100);
    assert.equal(fx.facts, true);
    applyFrame(state, { type: 'message.created', case_id: 1, message: { id: 4, from: 'counsellor', timestamp: 2200 } }, NOW);
    assert.equal(state.cases.get('1').first_reply_at, 2100); // the first stays the first
  });
});

describe('undelivered counsellor messages', () => {
  test('the mark comes with the message and says why, in the counsellor\'s words', () => {
    const state = desk([pending(1, { status: 'open', assignee: 7, channel: 'telegram' })]);
    showing(state, 1);
    const undelivered = { reason: 'blocked', channel: 'telegram', parts: 1, delivered_parts: 0 };
    const m = { id: 9, from: 'counsellor', text: 'Hei', timestamp: 2000, undelivered };
    const fx = applyFrame(state, { type: 'message.created', case_id: 1, message: m }, NOW);
    assert.deepEqual(undeliveredOf(fx.append), undelivered);
    assert.equal(undeliveredText(undelivered), 'Ikke levert: Personen har blokkert Veivalg eller '
      + 'slettet kontoen sin. Meldingen står i samtalen, men personen har ikke fått den.');
  });

  test('part of a long message, an unknown reason, and a message that arrived', () => {
    assert.equal(undeliveredText({ reason: 'unreachable', channel: 'telegram', parts: 3, delivered_parts: 1 }),
      'Ikke levert: Fikk ikke kontakt med Telegram. Bare 1 av 3 deler kom fram. '
      + 'Meldingen står i samtalen, men personen har ikke fått den.');
    assert.match(undeliveredText({ reason: 'new_kind' }), /^Ikke levert: Det oppsto en feil hos oss/);
    assert.equal(undeliveredOf({ id: 1, from: 'counsellor' }), null);
  });
});

describe('notice.undelivered: a notice the person did not get', () => {
  const blocked = { reason: 'blocked', channel: 'telegram', parts: 1, delivered_parts: 0,
    detail: 'HTTP 403: Forbidden: bot was blocked by the user' };
  const joined = (id, counsellor = { id: 7, name: 'Tove' }) => ({
    type: 'notice.undelivered', case_id: id, notice: 'joined', counsellor, undelivered: blocked,
  });
  const BLOCKED_TEXT = 'Personen har blokkert Veivalg eller slettet kontoen sin. '
    + '(HTTP 403: Forbidden: bot was blocked by the user)';

  test('the case on the right says at once that the person was not told, and why', () => {
    const state = desk([pending(1, { status: 'open', assignee: 7, channel: 'telegram' })]);
    showing(state, 1);
    const fx = applyFrame(state, joined(1), NOW);
    const said = `Personen fikk ikke beskjeden om at du kom inn i samtalen. ${BLOCKED_TEXT}`;
    assert.deepEqual(fx, { notices: true, announce: said });
    const [kept] = undeliveredNotices(state, 1);
    assert.deepEqual(kept, { notice: 'joined', counsellor: { id: 7, name: 'Tove' }, undelivered: blocked, at: NOW });
    assert.equal(noticeUndeliveredText(kept, ME.id), said);
    assert.equal(noticeUndeliveredText(kept, COLLEAGUE.id),
      `Personen fikk ikke beskjeden om at Tove kom inn i samtalen. ${BLOCKED_TEXT}`);
  });

  test('another case keeps it until it is shown; the same notice again is one line', () => {
    const state = desk([pending(1), pending(2)]);
    showing(state, 2);
    assert.deepEqual(applyFrame(state, joined(1, COLLEAGUE), NOW), {});
    assert.deepEqual(applyFrame(state, joined(1, COLLEAGUE), NOW + 1), {});
    applyFrame(state, { type: 'notice.undelivered', case_id: 1, notice: 'queue', undelivered: blocked }, NOW + 2);
    assert.deepEqual(undeliveredNotices(state, 1).map((n) => [n.notice, n.at]), [['joined', NOW + 1], ['queue', NOW + 2]]);
    assert.deepEqual(undeliveredNotices(state, 2), []);
    assert.equal(noticeUndeliveredText(undeliveredNotices(state, 1)[1], ME.id),
      `Personen fikk ikke beskjeden om plassen sin i køen. ${BLOCKED_TEXT}`);
  });

  test('a closed case on the screen still hears of the rating; gone, its notices go too', () => {
    const state = desk([pending(1, { status: 'open', assignee: 7 }), pending(2)]);
    showing(state, 1);
    applyFrame(state, { type: 'conversation.status_changed', case: pending(1, { status: 'resolved' }) }, NOW);
    const fx = applyFrame(state, { type: 'notice.undelivered', case_id: 1, notice: 'rate', counsellor: null,
      undelivered: { reason: 'unreachable', channel: 'telegram' } }, NOW);
    assert.equal(fx.announce, 'Personen fikk ikke spørsmålet om å vurdere samtalen. Fikk ikke kontakt med Telegram.');
    showCase(state, 2);
    assert.deepEqual(undeliveredNotices(state, 1), []);
    // A case neither open here nor on the screen: nobody is told.
    assert.deepEqual(applyFrame(state, joined(1), NOW), {});
    assert.equal(state.notices.size, 0);
  });

  test('a broken frame changes nothing; an erased case and a logout forget them', () => {
    const state = desk([pending(1)]);
    assert.deepEqual(applyFrame(state, { type: 'notice.undelivered', case_id: 1, notice: 'joined' }, NOW), {});
    applyFrame(state, joined(1), NOW);
    forgetCase(state, '1');
    assert.equal(state.notices.size, 0);
    replaceCases(state, [pending(1)]);
    applyFrame(state, joined(1), NOW);
    endSession(state);
    assert.equal(state.notices.size, 0);
    assert.match(noticeUndeliveredText({ notice: 'new_kind', undelivered: { reason: 'x' } }),
      /^Personen fikk ikke en beskjed fra Veivalg\. Det oppsto en feil hos oss/);
  });
});

describe('conversation.status_changed', () => {
  test('a left question taken into a conversation moves from the callbacks to "mine"', () => {
    const state = desk([pending(1, { status: 'snoozed' })]);
    applyFrame(state, { type: 'conversation.status_changed', case: pending(1, { status: 'open', assignee: 7 }) }, NOW);
    assert.deepEqual(ids(caseLists(state).callbacks), []);
    assert.deepEqual(ids(caseLists(state).mine), [1]);
  });

  test('a closed case leaves every list, with its unread mark and its crisis alert', () => {
    const state = desk([crisisCase(1), pending(2)]);
    state.unread.add('1');
    const fx = applyFrame(state, { type: 'conversation.status_changed', case: crisisCase(1, { status: 'resolved' }) }, NOW);
    assert.equal(state.cases.has('1'), false);
    assert.equal(state.unread.has('1'), false);
    assert.equal(state.crisis.has('1'), false);
    assert.equal(fx.crisis, true); // the banner is redrawn without it
    assert.deepEqual(ids(caseLists(state).queue), [2]);
  });

  test('the open case closed: still shown, as closed, and the typing indicator goes', () => {
    const state = desk([pending(1, { status: 'open', assignee: 7 })]);
    showing(state, 1);
    const fx = applyFrame(state, { type: 'conversation.status_changed', case: pending(1, { status: 'resolved', assignee: 7 }) }, NOW);
    assert.equal(state.shown.case.status, 'resolved');
    assert.equal(fx.personTyping, false);
    assert.equal(fx.stopOwnTyping, true);
  });

  test('crisis alerts of cases no longer on the desk are dropped when drawn', () => {
    const state = desk([crisisCase(1)]);
    state.cases.delete('1');
    assert.deepEqual(crisisAlerts(state), []);
    assert.equal(state.crisis.size, 0);
  });
});

describe('other events', () => {
  test('conversation.erased forgets the case, its draft too', () => {
    const state = desk([crisisCase(1), pending(2)]);
    showing(state, 1);
    state.drafts.set('1', 'half a reply');
    assert.deepEqual(applyFrame(state, { type: 'conversation.erased', case_id: 1 }, NOW), { forgot: '1', wasShown: true });
    assert.equal(state.shown, null);
    assert.equal(state.drafts.has('1'), false);
    assert.deepEqual([...state.cases.keys()], ['2']);
    assert.deepEqual(forgetCase(state, '2'), { forgot: '2', wasShown: false });
  });

  test('only the person\'s typing in the open case is shown', () => {
    const state = desk([pending(1), pending(2)]);
    showing(state, 1);
    assert.deepEqual(applyFrame(state, { type: 'conversation.typing_on', case_id: 1, from: 'user' }), { personTyping: true });
    assert.deepEqual(applyFrame(state, { type: 'conversation.typing_off', case_id: 1, from: 'user' }), { personTyping: false });
    assert.deepEqual(applyFrame(state, { type: 'conversation.typing_on', case_id: 1, from: 'counsellor' }), {});
    assert.deepEqual(applyFrame(state, { type: 'conversation.typing_on', case_id: 2, from: 'user' }), {});
  });

  test('a note is added to the open case once', () => {
    const state = desk([pending(1)]);
    showing(state, 1);
    const note = { id: 1, text: 'Ring i morgen', created_at: 2000 };
    assert.deepEqual(applyFrame(state, { type: 'note.created', case_id: 1, note }), { notes: true });
    assert.deepEqual(applyFrame(state, { type: 'note.created', case_id: 1, note }), {});
  });

  test('a lost login ends the session; unknown and broken frames change nothing', () => {
    const state = desk([pending(1)]);
    assert.deepEqual(applyFrame(state, { type: 'error', error: 'not_logged_in' }), { expired: true });
    assert.deepEqual(applyFrame(state, { type: 'error', error: 'invalid_frame' }), {});
    assert.deepEqual(applyFrame(state, { type: 'conversation.snoozed_forever', case: pending(9) }), {});
    assert.deepEqual(applyFrame(state, null), {});
    assert.deepEqual(applyFrame(state, { type: 'conversation.created', case: { status: 'pending' } }), {});
    assert.deepEqual([...state.cases.keys()], ['1']);
  });
});

describe('the session', () => {
  let state;
  beforeEach(() => { state = desk([pending(1, { summary: 'list' })]); });

  test('a newer list keeps what only the open case\'s detail view has', () => {
    showing(state, 1);
    state.shown.case = { ...state.shown.case, contact: 'ola@example.no' };
    replaceCases(state, [pending(1, { priority: 'high' })]);
    assert.equal(state.shown.case.priority, 'high');
    assert.equal(state.shown.case.contact, 'ola@example.no');
  });

  test('ending it forgets the cases but keeps the drafts', () => {
    state.drafts.set('1', 'half a reply');
    endSession(state);
    assert.equal(state.me, null);
    assert.equal(state.cases.size, 0);
    assert.equal(state.connection, '');
    assert.equal(state.drafts.get('1'), 'half a reply');
  });

  test('messages without an id are all kept, in time order', () => {
    const map = new Map();
    assert.equal(remember(map, { text: 'b', timestamp: 2 }, 'timestamp'), true);
    assert.equal(remember(map, { text: 'a', timestamp: 1 }, 'timestamp'), true);
    assert.equal(remember(map, 'not a message', 'timestamp'), false);
    assert.deepEqual(inOrder(map).map((e) => e.m.text), ['a', 'b']);
  });
});
