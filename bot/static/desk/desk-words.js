/* The desk's words: what the page says, and values put into Norwegian. No DOM, so
   desk-state.js and the Node tests (tests/js/) can use it too. */

export const BOT = 'Veivalg';

export const TEXT = {
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
  helpLinesSent: 'Personen har fått numrene til hjelpetelefonene.',
  helpLinesUndelivered: 'Numrene til hjelpetelefonene kom ikke fram til personen.',
};
export const LANGUAGE = { nb: 'Bokmål', nn: 'Nynorsk', en: 'Engelsk' };
// Issue 14: the server names every topic (GET /desk/api/topics, nameTopics); these few
// stay as the fallback if that request fails.
const TOPIC = {
  higher_education: 'Høyere utdanning',
  upper_secondary: 'Videregående opplæring',
  student_finance: 'Studiefinansiering',
  crisis: 'Krise',
  out_of_scope: 'Annet',
};
export const PRIORITY = { urgent: 'Haster', high: 'Høy', medium: 'Middels', low: 'Lav' };
export const TAG = { crisis: 'Krise', sami: 'Samisk' };
// A person's message the NLU marked: crisis language, or perhaps so (the bot asks then).
export const MESSAGE_ALERTS = { crisis: 'Krisespråk', crisis_check: 'Mulig krisespråk' };
export const STATUS = { pending: 'I køen', open: 'Pågår', snoozed: 'Ubesvart spørsmål', resolved: 'Avsluttet' };
export const CHANNEL = { webchat: 'Nettprat', rest: 'REST', telegram: 'Telegram', facebook: 'Messenger' };
export const CONTACT = { email: 'E-post', phone: 'Telefon', name: 'Navn', sms: 'SMS' };
// Why a counsellor's message did not reach the person (`undelivered.reason`, docs/desk-api.md).
const UNDELIVERED = {
  blocked: () => 'Personen har blokkert Veivalg eller slettet kontoen sin.',
  refused: (channel) => `${channel} avviste meldingen.`,
  unreachable: (channel) => `Fikk ikke kontakt med ${channel}.`,
  no_channel: (channel) => `${channel} er ikke satt opp på serveren.`,
  failed: () => 'Det oppsto en feil hos oss under sendingen.',
};
// What a desk notice to the person would have told them (`notice.undelivered`,
// docs/desk-api.md); `who` is "du" or the counsellor the notice named.
const NOTICE = {
  joined: (who) => `Personen fikk ikke beskjeden om at ${who} kom inn i samtalen.`,
  left: (who) => `Personen fikk ikke beskjeden om at ${who} forlot samtalen.`,
  queue: () => 'Personen fikk ikke beskjeden om plassen sin i køen.',
  rate: () => 'Personen fikk ikke spørsmålet om å vurdere samtalen.',
  other: () => 'Personen fikk ikke en beskjed fra Veivalg.',
};
// Why the server refused (409 not_allowed), per action. The server's own `message` is
// for developers (English), so the page says it in its own words.
const REFUSED = {
  take: 'Saken kan ikke tas nå.',
  messages: 'Bare den som har saken, kan skrive til personen.',
  transfer: 'Bare den som har saken, kan overføre den.',
  close: 'Saken kan ikke avsluttes nå.',
};

export function nameTopics(names) {
  for (const [code, name] of Object.entries(names || {})) {
    if (typeof name === 'string' && name) TOPIC[code] = name;
  }
}
export const topicText = (t) => (t ? TOPIC[t] || String(t).replace(/_/g, ' ') : 'Uten tema');
export const languageText = (l) => (l ? LANGUAGE[l] || String(l).toUpperCase() : 'Ukjent språk');
export const personName = (p) => (p && typeof p === 'object' ? String(p.name ?? '') : String(p ?? ''));

export const toDate = (sec) => (sec !== null && sec !== undefined && sec !== '' && Number.isFinite(Number(sec))
  ? new Date(Number(sec) * 1000) : null);

// "3 min", from seconds since the epoch (the server's clock, compared with ours).
export function durationText(sec, now = Date.now()) {
  const d = toDate(sec);
  if (!d) return '';
  const min = Math.max(0, Math.floor((now - d.getTime()) / 60000));
  if (min < 1) return 'under 1 min';
  if (min < 60) return `${min} min`;
  const hours = Math.floor(min / 60);
  if (hours >= 48) return `${Math.floor(hours / 24)} døgn`;
  return min % 60 ? `${hours} t ${min % 60} min` : `${hours} t`;
}
export function waitText(sec, prefix = 'venter ') {
  const text = durationText(sec);
  return text ? prefix + text : '';
}

export function pauseText(seconds) {
  if (seconds < 60) return seconds === 1 ? '1 sekund' : `${seconds} sekunder`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? '1 minutt' : `${minutes} minutter`;
}

// Why something did not reach the person, with the service's own words if it gave any.
function whyUndelivered(u) {
  const channel = CHANNEL[u.channel] || 'Kanalen';
  return (UNDELIVERED[u.reason] || UNDELIVERED.failed)(channel);
}
const detailOf = (u) => (u.detail ? ` (${String(u.detail)})` : '');

// What the counsellor needs to know about a message that did not arrive, in one sentence or three.
export function undeliveredText(u) {
  const why = whyUndelivered(u);
  const parts = Number(u.parts), arrived = Number(u.delivered_parts);
  const partly = parts > 1 && arrived > 0 ? ` Bare ${arrived} av ${parts} deler kom fram.` : '';
  return `Ikke levert: ${why}${detailOf(u)}${partly} Meldingen står i samtalen, men personen har ikke fått den.`;
}
// The crisis banner when the help lines did not arrive: why, in the counsellor's words.
export function helpLinesUndeliveredText(u) {
  return `${TEXT.helpLinesUndelivered} ${whyUndelivered(u)}${detailOf(u)}`;
}
// A notice the person did not get (desk-state.js `undeliveredNotices`): what they missed
// and why. `meId`: the counsellor reading it, who is "du" where the notice named them.
export function noticeUndeliveredText(n, meId = null) {
  const named = n.counsellor && typeof n.counsellor === 'object' ? n.counsellor : null;
  const isMe = named && meId !== null && meId !== undefined && String(named.id) === String(meId);
  const who = isMe ? 'du' : (named && named.name ? String(named.name) : 'en rådgiver');
  const what = (Object.prototype.hasOwnProperty.call(NOTICE, n.notice) ? NOTICE[n.notice] : NOTICE.other)(who);
  return `${what} ${whyUndelivered(n.undelivered)}${detailOf(n.undelivered)}`;
}
export const undeliveredOf = (m) => (m && m.undelivered && typeof m.undelivered === 'object' ? m.undelivered : null);

// An ApiError (desk-api.js) in the counsellor's words; `what` says what did not happen.
export function errorText(err, what) {
  if (err.status === 0) return TEXT.network;
  if (err.code === 'already_taken') return TEXT.alreadyTaken;
  if (err.code === 'no_such_case') return TEXT.noSuchCase;
  if (err.status === 429) return TEXT.tooMany;
  let why = TEXT.failed;
  if (err.code === 'not_allowed') why = REFUSED[err.action] || TEXT.notAllowed;
  else if (err.code === 'invalid_request' && ['messages', 'notes'].includes(err.action)) why = TEXT.invalidText;
  return what ? `${what} ${why}` : why;
}
