/* Veivalg web chat widget: one <script src=".../chat/widget.js" defer> embeds it.
   Socket protocol, embedding and identity: docs/webchat.md. Plain ES2020, no build step,
   no external resources; all DOM is built here and filled with textContent only. */
(() => {
  'use strict';

  const script = document.currentScript ||
    [...document.querySelectorAll('script[src]')].find((s) => /\/widget\.js(\?|#|$)/.test(s.src));
  // Embedded twice (or no script found): keep the first widget, never two sockets.
  if (!script || document.getElementById('veivalg-chat')) return;

  const cfg = script.dataset;
  const base = new URL('.', script.src);
  const BOT = 'Veivalg';
  const TITLE = cfg.title || BOT;
  const DEFAULT_MAX = 2000;
  const PING_MS = 25000;
  // The conversation's id and resume secret: for this tab only, unless the person asks
  // this device to remember it (then until REMEMBER_DAYS have passed).
  const CONV_KEY = 'veivalg.conversation';
  const OLD_SENDER_KEY = 'veivalg.sender'; // earlier widgets kept a bare id forever
  const REMEMBER_DAYS = 7;
  const OPEN_KEY = 'veivalg.open';
  const LANG_KEY = 'veivalg.language';

  // data-server is the Rasa server's base URL; the socket lives under its /chat/.
  const socketUrl = new URL('chat/socket', new URL(cfg.server || base.origin, location.href).href.replace(/\/*$/, '/'));
  socketUrl.protocol = socketUrl.protocol === 'https:' ? 'wss:' : 'ws:';

  const T = {
    nb: {
      region: 'Nettprat', launcher: 'Åpne chat', unread: '(ny melding)', close: 'Lukk chatten',
      language: 'Språk', newConversation: 'Ny samtale', log: 'Samtalen',
      erase: 'Slett samtalen', remember: 'Husk samtalen på denne enheten i 7 dager',
      eraseConfirm: 'Vil du slette hele samtalen? Den kan ikke hentes tilbake.',
      erased: 'Samtalen er slettet.',
      privacy: 'Ikke skriv personnummer eller andre sensitive opplysninger i chatten.',
      input: 'Skriv en melding', hint: 'Trykk Enter for å sende og Shift+Enter for ny linje.',
      send: 'Send', you: 'Du', counsellor: 'Rådgiver', pending: 'Ikke sendt ennå',
      newTab: '(åpnes i ny fane)', left: (n) => `${n} tegn igjen`,
      limit: (n) => `Meldingen kan ha høyst ${n} tegn.`,
      connecting: 'Kobler til …', reconnecting: 'Mistet forbindelsen. Prøver å koble til igjen …',
      offline: 'Du er frakoblet.',
      queued: 'Vi sender det du skriver når forbindelsen er tilbake.',
      typing: (n) => `${n} skriver …`,
      queue: (p) => `Du er nummer ${p} i køen.`,
      wait: (m) => ` Forventet ventetid: ${m ? `ca. ${m} ${m === 1 ? 'minutt' : 'minutter'}` : 'under ett minutt'}.`,
      joined: (n) => `${n ? `Rådgiver ${n}` : 'En rådgiver'} har kommet inn i samtalen.`,
      gone: (n) => `${n ? `Rådgiver ${n}` : 'Rådgiveren'} har forlatt samtalen.`,
      useful: 'Var dette nyttig?', yes: 'Ja', no: 'Nei', thanksUseful: 'Takk for svaret!',
      rate: 'Hvordan var samtalen med rådgiveren?', score: (n) => `${n} av 5`,
      scale: '1 er dårlig, 5 er veldig bra.', comment: 'Vil du si noe mer? (valgfritt)',
      rateSend: 'Send vurderingen', thanksRate: 'Takk for vurderingen!',
      errors: {
        invalid_frame: 'Noe gikk galt med meldingen. Prøv igjen.',
        empty_message: 'Meldingen er tom. Skriv noe før du sender.',
        message_too_long: 'Meldingen er for lang. Del den gjerne opp i flere meldinger.',
        rate_limited: 'Du sender mange meldinger fort. Vent litt og prøv igjen.',
        invalid_language: 'Språket ble ikke endret. Prøv igjen.',
        offline_erase: 'Samtalen kan slettes når forbindelsen er tilbake.',
        not_asked: 'Svaret kunne ikke lagres.',
      },
    },
    nn: {
      region: 'Nettprat', launcher: 'Opne chatten', unread: '(ny melding)', close: 'Lukk chatten',
      language: 'Språk', newConversation: 'Ny samtale', log: 'Samtalen',
      erase: 'Slett samtalen', remember: 'Hugs samtalen på denne eininga i 7 dagar',
      eraseConfirm: 'Vil du slette heile samtalen? Han kan ikkje hentast tilbake.',
      erased: 'Samtalen er sletta.',
      privacy: 'Ikkje skriv personnummer eller andre sensitive opplysningar i chatten.',
      input: 'Skriv ei melding', hint: 'Trykk Enter for å sende og Shift+Enter for ny linje.',
      send: 'Send', you: 'Du', counsellor: 'Rådgjevar', pending: 'Ikkje sendt enno',
      newTab: '(blir opna i ny fane)', left: (n) => `${n} teikn att`,
      limit: (n) => `Meldinga kan ha høgst ${n} teikn.`,
      connecting: 'Koplar til …', reconnecting: 'Mista sambandet. Prøver å kople til igjen …',
      offline: 'Du er fråkopla.',
      queued: 'Vi sender det du skriv når sambandet er tilbake.',
      typing: (n) => `${n} skriv …`,
      queue: (p) => `Du er nummer ${p} i køen.`,
      wait: (m) => ` Forventa ventetid: ${m ? `ca. ${m} minutt` : 'under eitt minutt'}.`,
      joined: (n) => `${n ? `Rådgjevar ${n}` : 'Ein rådgjevar'} har kome inn i samtalen.`,
      gone: (n) => `${n ? `Rådgjevar ${n}` : 'Rådgjevaren'} har forlate samtalen.`,
      useful: 'Var dette nyttig?', yes: 'Ja', no: 'Nei', thanksUseful: 'Takk for svaret!',
      rate: 'Korleis var samtalen med rådgjevaren?', score: (n) => `${n} av 5`,
      scale: '1 er dårleg, 5 er svært bra.', comment: 'Vil du seie noko meir? (valfritt)',
      rateSend: 'Send vurderinga', thanksRate: 'Takk for vurderinga!',
      errors: {
        invalid_frame: 'Noko gjekk gale med meldinga. Prøv igjen.',
        empty_message: 'Meldinga er tom. Skriv noko før du sender.',
        message_too_long: 'Meldinga er for lang. Del ho gjerne opp i fleire meldingar.',
        rate_limited: 'Du sender mange meldingar fort. Vent litt og prøv igjen.',
        invalid_language: 'Språket vart ikkje endra. Prøv igjen.',
        offline_erase: 'Samtalen kan slettast når sambandet er tilbake.',
        not_asked: 'Svaret kunne ikkje lagrast.',
      },
    },
    en: {
      region: 'Web chat', launcher: 'Open chat', unread: '(new message)', close: 'Close chat',
      language: 'Language', newConversation: 'New conversation', log: 'Conversation',
      erase: 'Delete conversation', remember: 'Remember this conversation on this device for 7 days',
      eraseConfirm: 'Do you want to delete the whole conversation? It cannot be recovered.',
      erased: 'The conversation has been deleted.',
      privacy: 'Please do not write your national ID number or other sensitive information in the chat.',
      input: 'Write a message', hint: 'Press Enter to send and Shift+Enter for a new line.',
      send: 'Send', you: 'You', counsellor: 'Counsellor', pending: 'Not sent yet',
      newTab: '(opens in a new tab)', left: (n) => `${n} characters left`,
      limit: (n) => `A message can have at most ${n} characters.`,
      connecting: 'Connecting …', reconnecting: 'Connection lost. Trying to reconnect …',
      offline: 'You are offline.',
      queued: 'We will send what you write when the connection is back.',
      typing: (n) => `${n} is typing …`,
      queue: (p) => `You are number ${p} in the queue.`,
      wait: (m) => ` Expected waiting time: ${m ? `about ${m} minute${m === 1 ? '' : 's'}` : 'less than a minute'}.`,
      joined: (n) => `${n ? `Counsellor ${n}` : 'A counsellor'} has joined the conversation.`,
      gone: (n) => `${n ? `Counsellor ${n}` : 'The counsellor'} has left the conversation.`,
      useful: 'Was this helpful?', yes: 'Yes', no: 'No', thanksUseful: 'Thank you for answering!',
      rate: 'How was the conversation with the counsellor?', score: (n) => `${n} of 5`,
      scale: '1 is poor, 5 is very good.', comment: 'Anything you would like to add? (optional)',
      rateSend: 'Send rating', thanksRate: 'Thank you for your rating!',
      errors: {
        invalid_frame: 'Something went wrong with the message. Please try again.',
        empty_message: 'The message is empty. Write something before you send it.',
        message_too_long: 'The message is too long. Feel free to split it into several messages.',
        rate_limited: 'You are sending many messages quickly. Please wait a little and try again.',
        invalid_language: 'The language was not changed. Please try again.',
        offline_erase: 'The conversation can be deleted when the connection is back.',
        not_asked: 'The answer could not be saved.',
      },
    },
  };
  const LANGS = [['nb', 'Bokmål'], ['nn', 'Nynorsk'], ['en', 'English']];

  // Storage can throw (blocked cookies, some private modes): the chat must still work.
  const load = (area, key) => { try { return window[area].getItem(key); } catch { return null; } };
  const save = (area, key, value) => { try { window[area].setItem(key, value); } catch { /* memory only */ } };

  // BCP 47 tag → nb/nn/en; "no" is Norwegian in general and means Bokmål here.
  const normLang = (tag) => ({ nb: 'nb', no: 'nb', nob: 'nb', nn: 'nn', nno: 'nn', en: 'en', eng: 'en' })[
    String(tag || '').toLowerCase().split(/[-_]/)[0]] || '';
  let lang = normLang(load('sessionStorage', LANG_KEY)) || normLang(cfg.language) ||
    normLang(document.documentElement.lang) || 'nb';
  let L = T[lang];

  const newId = () => {
    if (crypto.randomUUID) return crypto.randomUUID(); // only in secure contexts
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  };

  // ---- DOM helpers --------------------------------------------------------------------
  const h = (tag, attrs = {}, ...kids) => {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'text') el.textContent = v;
      else el.setAttribute(k, v === true ? '' : v);
    }
    el.append(...kids);
    return el;
  };
  const SVG = 'http://www.w3.org/2000/svg';
  const icon = (d) => {
    const svg = document.createElementNS(SVG, 'svg');
    const path = document.createElementNS(SVG, 'path');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    path.setAttribute('d', d);
    svg.append(path);
    return svg;
  };

  // Every language-dependent text registers here, so a language switch redoes them all.
  let texts = [];
  const tr = (el, get, attr) => { texts.push([el, get, attr]); apply([el, get, attr]); return el; };
  const apply = ([el, get, attr]) => {
    const value = get(L);
    if (attr) el.setAttribute(attr, value); else el.textContent = value;
  };
  const renderTexts = () => {
    // Drop the texts of elements that are gone (a cleared log), keep queued messages'.
    texts = texts.filter(([el]) => root.contains(el) || outbox.some((e) => e.el.contains(el)));
    texts.forEach(apply);
    root.lang = panel.lang = lang;
    renderStatus();
    renderCounter();
  };

  // ---- The widget's DOM ---------------------------------------------------------------
  const root = tr(h('aside', { id: 'veivalg-chat', class: 'vv', lang }), (l) => l.region, 'aria-label');

  const launcherText = h('span', { class: 'vv-launcher-text' });
  const unreadText = h('span', { class: 'vv-sr' });
  const launcher = h('button', {
    type: 'button', id: 'veivalg-launcher', class: 'vv-launcher', 'aria-haspopup': 'dialog',
  }, icon('M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2h-9l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z'),
  launcherText, unreadText);
  tr(launcherText, (l) => l.launcher);

  const closeBtn = tr(h('button', { type: 'button', id: 'veivalg-close', class: 'vv-icon-btn' },
    icon('M6 6l12 12M18 6 6 18')), (l) => l.close, 'aria-label');
  const select = h('select', { id: 'veivalg-language', class: 'vv-select' },
    ...LANGS.map(([code, name]) => h('option', { value: code, lang: code, text: name })));
  select.value = lang;
  const newBtn = tr(h('button', { type: 'button', id: 'veivalg-new', class: 'vv-btn' }), (l) => l.newConversation);
  const eraseBtn = tr(h('button', { type: 'button', id: 'veivalg-erase', class: 'vv-btn' }), (l) => l.erase);
  const rememberBox = h('input', { type: 'checkbox', id: 'veivalg-remember' });
  const status = h('p', { id: 'veivalg-status', class: 'vv-status', role: 'status' });
  const log = tr(h('div', {
    id: 'veivalg-log', class: 'vv-log', role: 'log', 'aria-live': 'polite', tabindex: '0',
  }), (l) => l.log, 'aria-label');
  const notice = h('div', { id: 'veivalg-notice', class: 'vv-notice', role: 'status' });
  const alertBox = h('div', { id: 'veivalg-alert', class: 'vv-alert', role: 'alert' });
  const typing = h('div', { id: 'veivalg-typing', class: 'vv-typing', role: 'status' });
  const input = tr(h('textarea', {
    id: 'veivalg-input', class: 'vv-input', rows: '2', maxlength: String(DEFAULT_MAX),
    'aria-describedby': 'veivalg-counter veivalg-hint',
  }), (l) => l.input, 'placeholder');
  const counter = h('span', { id: 'veivalg-counter', class: 'vv-counter' });
  const sendBtn = tr(h('button', { type: 'submit', id: 'veivalg-send', class: 'vv-send' }), (l) => l.send);
  const form = h('form', { class: 'vv-form', novalidate: true },
    tr(h('label', { for: 'veivalg-input', class: 'vv-sr' }), (l) => l.input),
    tr(h('span', { id: 'veivalg-hint', class: 'vv-sr' }), (l) => l.hint),
    input, h('div', { class: 'vv-row' }, counter, sendBtn));

  const panel = h('div', {
    id: 'veivalg-panel', class: 'vv-panel', role: 'dialog', 'aria-labelledby': 'veivalg-title', lang, hidden: true,
  },
  h('div', { class: 'vv-header' }, h('h2', { id: 'veivalg-title', class: 'vv-title', text: TITLE }), closeBtn),
  h('div', { class: 'vv-tools' },
    h('div', { class: 'vv-lang' }, tr(h('label', { for: 'veivalg-language' }), (l) => l.language), select),
    newBtn, eraseBtn,
    h('div', { class: 'vv-remember' }, rememberBox,
      tr(h('label', { for: 'veivalg-remember' }), (l) => l.remember)),
    tr(h('p', { class: 'vv-privacy' }), (l) => l.privacy)),
  status, log, notice, typing, alertBox, form,
  // One description for every link, so that copied text stays the message's own.
  tr(h('span', { id: 'veivalg-newtab', hidden: true }), (l) => l.newTab));
  root.append(launcher, panel);

  // ---- State --------------------------------------------------------------------------
  let ws = null;          // the current socket; events of older sockets are ignored
  let ready = false;      // a `session` frame arrived on the current socket
  let started = false;    // connecting starts when the person first opens the chat
  let connected = false;  // a session ever started on this page (so a retry is a *re*connect)
  let connection = '';    // '', connecting, reconnecting, offline
  let attempt = 0;
  let retryTimer = 0;
  let pingTimer = 0;
  let typingTimer = 0;
  let ownTypingTimer = 0;
  let ownTyping = false;
  let maxChars = DEFAULT_MAX;
  let counsellorName = '';
  let alertCode = null;   // what the alert box says, kept as a code so it can be re-translated
  const seen = new Set(); // message ids shown (history and live pushes may overlap)
  // The person's messages from pressing Send until the server echoes them back:
  // {cid, text, title, el, sent, acked}. Queued here while the socket is down.
  let outbox = [];

  const drop = (area, key) => { try { window[area].removeItem(key); } catch { /* nothing kept */ } };
  const parse = (text) => { try { return JSON.parse(text); } catch { return null; } };
  const valid = (c) => c && typeof c.sender === 'string' && typeof c.secret === 'string';
  drop('localStorage', OLD_SENDER_KEY);
  // What opens the conversation again: this tab's copy, else a remembered one in time.
  const credentials = () => {
    const here = parse(load('sessionStorage', CONV_KEY));
    if (valid(here)) return here;
    const kept = parse(load('localStorage', CONV_KEY));
    if (valid(kept) && Number(kept.until) > Date.now()) return kept;
    drop('localStorage', CONV_KEY);
    return null;
  };
  const remember = (c) => {
    save('sessionStorage', CONV_KEY, JSON.stringify({ sender: c.sender, secret: c.secret }));
    if (rememberBox.checked) {
      const until = Date.now() + REMEMBER_DAYS * 86400000;
      save('localStorage', CONV_KEY, JSON.stringify({ sender: c.sender, secret: c.secret, until }));
    } else drop('localStorage', CONV_KEY);
  };
  const forget = () => { drop('sessionStorage', CONV_KEY); drop('localStorage', CONV_KEY); };
  const kept = parse(load('localStorage', CONV_KEY));
  rememberBox.checked = valid(kept) && Number(kept.until) > Date.now();
  const sendFrame = (frame) => {
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    ws.send(JSON.stringify(frame));
    return true;
  };

  // ---- Rendering ----------------------------------------------------------------------
  function renderStatus() {
    // While the connection is down, say that nothing typed is lost.
    status.textContent = !connection ? '' :
      connection === 'connecting' && !attempt ? L.connecting : `${L[connection]} ${L.queued}`;
  }

  function renderCounter() {
    const left = maxChars - input.value.length;
    counter.textContent = L.left(num(Math.max(0, left)));
    counter.classList.toggle('vv-low', left <= Math.min(100, maxChars / 10));
  }

  const num = (n) => new Intl.NumberFormat(lang === 'en' ? 'en' : 'nb').format(n);

  function showAlert(code, get) {
    alertCode = code;
    alertBox.replaceChildren();
    if (get) alertBox.append(tr(h('p'), get));
  }
  const errorText = (code) => (l) => l.errors[code] || l.errors.invalid_frame;

  const hhmm = (d) => `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;

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
      parent.append(text.slice(last, match.index),
        h('a', { href, target: '_blank', rel: 'noopener noreferrer', 'aria-describedby': 'veivalg-newtab' }, url));
      last = match.index + url.length;
    }
    parent.append(text.slice(last));
  }

  function messageEl(m) {
    const from = ['user', 'bot', 'counsellor'].includes(m.from) ? m.from : 'bot';
    const el = h('div', { class: 'vv-msg', 'data-from': from, 'data-id': m.id ?? null });
    const who = h('span', { class: 'vv-who' });
    if (from === 'user') tr(who, (l) => l.you);
    else if (from === 'counsellor' && !m.name) tr(who, (l) => l.counsellor);
    else who.textContent = from === 'counsellor' ? String(m.name) : BOT;
    const when = new Date(typeof m.timestamp === 'number' ? m.timestamp * 1000 : Date.now());
    el.append(h('p', { class: 'vv-meta' }, who, ' ',
      h('time', { datetime: when.toISOString(), text: hhmm(when) })));
    const text = String(m.text ?? '');
    if (text) { const body = h('div', { class: 'vv-text' }); fillText(body, text); el.append(body); }
    const buttons = Array.isArray(m.buttons) ? m.buttons.filter((b) => b && b.payload != null) : [];
    if (buttons.length) {
      el.append(h('div', { class: 'vv-buttons' }, ...buttons.map((b) => {
        const title = String(b.title ?? b.payload);
        const btn = h('button', { type: 'button', class: 'vv-choice', text: title });
        btn.addEventListener('click', () => submit(String(b.payload), title));
        return btn;
      })));
    }
    return el;
  }

  function setPending(entry, on) {
    const meta = entry.el.querySelector('.vv-meta');
    const mark = meta.querySelector('.vv-pending');
    if (on && !mark) meta.append(' ', tr(h('span', { class: 'vv-pending' }), (l) => l.pending));
    if (!on && mark) mark.remove();
  }

  function append(el, force) {
    // Follow new messages only if the person is not reading further up.
    const atEnd = log.scrollHeight - log.scrollTop - log.clientHeight < 80;
    log.append(el);
    if (atEnd || force) log.scrollTop = log.scrollHeight;
  }

  function setTyping(on, from) {
    clearTimeout(typingTimer);
    typing.replaceChildren();
    if (!on) return;
    const name = from === 'counsellor' ? counsellorName : BOT;
    typing.append(h('span', { class: 'vv-dots', 'aria-hidden': 'true' }, h('span'), h('span'), h('span')),
      tr(h('span'), (l) => l.typing(name || l.counsellor)));
    // A lost "typing off" must not leave the indicator on forever.
    typingTimer = setTimeout(() => setTyping(false), 30000);
  }

  function addEvent(get, kind) {
    append(tr(h('p', { class: 'vv-event', 'data-from': 'system', 'data-event': kind }), get));
  }

  // ---- Satisfaction: optional, anonymous (docs/webchat.md) ------------------------------
  function askUseful(id) {
    log.querySelectorAll('.vv-feedback[data-open]').forEach((el) => el.remove()); // the latest only
    const question = tr(h('p', { id: `vv-useful-${id}` }), (l) => l.useful);
    const box = h('div', { class: 'vv-feedback', role: 'group', 'aria-labelledby': question.id,
      'data-open': true }, question);
    for (const [helpful, get] of [[true, (l) => l.yes], [false, (l) => l.no]]) {
      const button = tr(h('button', { type: 'button', class: 'vv-choice', 'data-helpful': String(helpful) }), get);
      button.addEventListener('click', () => {
        if (!sendFrame({ type: 'feedback', id, helpful })) return;
        box.removeAttribute('data-open');
        box.replaceChildren(tr(h('p', { role: 'status' }), (l) => l.thanksUseful));
      });
      box.append(button);
    }
    append(box);
  }

  function askRating() {
    log.querySelectorAll('.vv-rate').forEach((el) => el.remove());
    const legend = tr(h('legend'), (l) => l.rate);
    const scores = h('div', { class: 'vv-scores' });
    for (let n = 1; n <= 5; n += 1) {
      const radio = h('input', { type: 'radio', name: 'vv-score', value: String(n), id: `vv-score-${n}` });
      scores.append(h('label', { for: radio.id, class: 'vv-score' }, radio,
        h('span', { 'aria-hidden': 'true', text: String(n) }),
        tr(h('span', { class: 'vv-sr' }), (l) => l.score(n))));
    }
    const comment = h('textarea', { id: 'vv-rate-comment', rows: '2', maxlength: '1000' });
    const form = h('form', { class: 'vv-rate' },
      h('fieldset', {}, legend, tr(h('p', { class: 'vv-hint' }), (l) => l.scale), scores),
      tr(h('label', { for: comment.id }), (l) => l.comment), comment,
      tr(h('button', { type: 'submit', class: 'vv-choice' }), (l) => l.rateSend));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const chosen = form.querySelector('input[name="vv-score"]:checked');
      if (!chosen) { form.querySelector('input[name="vv-score"]').focus(); return; }
      const text = comment.value.trim();
      if (!sendFrame({ type: 'rate', score: Number(chosen.value), ...(text ? { comment: text } : {}) })) return;
      form.replaceWith(tr(h('p', { class: 'vv-event', role: 'status', 'data-event': 'rated' }), (l) => l.thanksRate));
    });
    append(form);
  }

  // ---- Incoming frames ----------------------------------------------------------------
  function showMessage(m, live) {
    if (!m || typeof m !== 'object') return;
    if (m.id != null) {
      if (seen.has(String(m.id))) return;
      seen.add(String(m.id));
    }
    if (m.from === 'user') {
      // The echo of one of our own messages replaces its pending copy: by the client id
      // if the server reuses it, else the oldest sent one (the server keeps the order).
      let i = outbox.findIndex((e) => e.cid === String(m.id));
      if (i < 0 && live) i = outbox.findIndex((e) => e.sent);
      if (i >= 0) {
        const [entry] = outbox.splice(i, 1);
        const fresh = messageEl(m);
        if (entry.el.isConnected) entry.el.replaceWith(fresh); else append(fresh, true);
        return;
      }
    } else if (live) {
      setTyping(false);
      if (panel.hidden) markUnread(true);
    }
    append(messageEl(m), m.from === 'user');
  }

  // After a reconnect: an acknowledged message the history holds is done; one it lacks
  // was lost with the server that took it (a replica stopped mid-turn) and goes again.
  function reconcile(messages) {
    const said = new Set(messages.filter((m) => m && m.from === 'user')
      .map((m) => String(m.text || '').trim()));
    // A button press is stored as its title.
    outbox = outbox.filter((e) => !(e.check && said.has((e.title || e.text).trim())));
    let again = false;
    for (const e of outbox) {
      if (!e.check) continue;
      e.check = false;
      e.acked = e.sent = false;
      again = true;
    }
    if (again) flush();
  }

  function onFrame(data) {
    let f;
    try { f = JSON.parse(data); } catch { return; }
    if (!f || typeof f !== 'object') return;
    switch (f.type) {
      case 'session': {
        // A new conversation comes with its secret, shown to this socket once.
        if (typeof f.secret === 'string' && typeof f.sender === 'string') {
          remember({ sender: f.sender, secret: f.secret });
        }
        const max = f.limits && Number(f.limits.max_chars);
        maxChars = Number.isInteger(max) && max > 0 ? max : DEFAULT_MAX;
        input.maxLength = maxChars;
        ready = connected = true;
        attempt = 0;
        connection = '';
        // Tell a new conversation which language the widget speaks; a resumed one knows.
        if (!f.resumed) sendFrame({ type: 'language', language: lang });
        startPing();
        // What an older socket sent and was not acknowledged may be lost: it goes again.
        // An acknowledged one was taken, but a server that died mid-turn never stored it:
        // the history that follows tells (reconcile below).
        for (const e of outbox) {
          if (e.acked) e.check = true; else e.sent = false;
        }
        flush();
        renderStatus();
        renderCounter();
        break;
      }
      case 'history': {
        // Quiet while redrawing: the log would otherwise read the whole history aloud.
        log.setAttribute('aria-live', 'off');
        log.replaceChildren();
        seen.clear();
        const messages = Array.isArray(f.messages) ? f.messages : [];
        for (const m of messages) showMessage(m, false);
        reconcile(messages);
        // Messages still on their way stay visible below the history.
        for (const e of outbox) log.append(e.el);
        log.scrollTop = log.scrollHeight;
        // Screen readers pick up changes a little later; wait before turning it back on.
        setTimeout(() => log.setAttribute('aria-live', 'polite'), 1000);
        break;
      }
      case 'message':
        showMessage(f, true);
        break;
      case 'ack': {
        const entry = outbox.find((e) => e.cid === String(f.id));
        if (entry) entry.acked = true;
        break;
      }
      case 'typing':
        setTyping(Boolean(f.on), f.from);
        break;
      case 'queue':
        if (!Number.isFinite(f.position)) { notice.replaceChildren(); break; } // left the queue
        notice.replaceChildren(tr(h('p'), (l) => l.queue(f.position) +
          (f.wait_minutes == null ? '' : l.wait(Math.max(0, Math.round(Number(f.wait_minutes)) || 0)))));
        break;
      case 'handoff': {
        const name = typeof f.name === 'string' ? f.name : '';
        if (f.event === 'joined') {
          counsellorName = name;
          notice.replaceChildren();
          addEvent((l) => l.joined(name), 'joined');
        } else if (f.event === 'left') {
          addEvent((l) => l.gone(name), 'left');
        }
        break;
      }
      case 'feedback':
        if (typeof f.id === 'string') askUseful(f.id);
        break;
      case 'rate':
        askRating();
        break;
      case 'error': {
        // A refused message comes back to the input, so the typed text is never lost.
        if (['empty_message', 'message_too_long', 'rate_limited'].includes(f.code)) {
          const i = outbox.findIndex((e) => e.sent && !e.acked);
          if (i >= 0) {
            const [entry] = outbox.splice(i, 1);
            entry.el.remove();
            if (!entry.title) {
              input.value = input.value ? `${input.value}\n${entry.text}` : entry.text;
              renderCounter();
            }
          }
        }
        showAlert(f.code, errorText(f.code));
        break;
      }
      case 'ended':
        // The server forgot the secret (and deleted the conversation): start afresh.
        ws = null;
        reset();
        // Said where the coming (empty) history does not wipe it.
        if (f.erased) notice.replaceChildren(tr(h('p', { 'data-event': 'erased' }), (l) => l.erased));
        connect();
        break;
      default: // pong, and types added later
    }
  }

  // ---- Connection ---------------------------------------------------------------------
  function startPing() {
    clearInterval(pingTimer);
    pingTimer = setInterval(() => sendFrame({ type: 'ping' }), PING_MS);
  }

  function connect() {
    started = true;
    clearTimeout(retryTimer);
    if (ws) { const old = ws; ws = null; old.close(1000); }
    ready = false;
    connection = connection || 'connecting';
    renderStatus();
    let sock;
    try { sock = new WebSocket(socketUrl.href); } catch { retry(); return; }
    ws = sock;
    // The first frame says which conversation to resume; the secret never goes in a URL.
    sock.addEventListener('open', () => {
      if (ws === sock) sock.send(JSON.stringify({ type: 'resume', ...(credentials() || {}) }));
    });
    sock.addEventListener('message', (e) => { if (ws === sock) onFrame(e.data); });
    sock.addEventListener('close', () => {
      if (ws !== sock) return;
      ws = null;
      ready = false;
      clearInterval(pingTimer);
      setTyping(false);
      retry();
    });
  }

  function retry() {
    // Exponential backoff with jitter, so that a restarted server is not hit by everyone at once.
    const delay = Math.min(30000, 1000 * 2 ** attempt);
    attempt += 1;
    retryTimer = setTimeout(connect, delay / 2 + Math.random() * delay / 2);
    connection = navigator.onLine === false ? 'offline' : connected ? 'reconnecting' : 'connecting';
    renderStatus();
  }

  function flush() {
    if (!ready) return;
    for (const e of outbox) {
      if (e.sent) continue;
      const frame = { type: 'message', text: e.text, id: e.cid };
      if (e.title) frame.title = e.title;
      if (!sendFrame(frame)) return;
      e.sent = true;
      setPending(e, false);
    }
    renderStatus();
  }

  // ---- The person's actions -----------------------------------------------------------
  function submit(text, title) {
    if (!text.trim()) { showAlert('empty_message', errorText('empty_message')); return false; }
    if (text.length > maxChars) { showAlert('limit', (l) => l.limit(num(maxChars))); return false; }
    showAlert(null);
    const entry = { cid: newId(), text, title: title || '', sent: false, acked: false };
    entry.el = messageEl({ from: 'user', text: title || text });
    outbox.push(entry);
    append(entry.el, true);
    if (!ready) setPending(entry, true);
    stopOwnTyping();
    flush();
    if (!started) connect();
    renderStatus();
    return true;
  }

  function stopOwnTyping() {
    clearTimeout(ownTypingTimer);
    if (ownTyping) { ownTyping = false; if (ready) sendFrame({ type: 'typing', on: false }); }
  }

  function markUnread(on) {
    launcher.classList.toggle('vv-unread', on);
    unreadText.replaceChildren();
    if (on) unreadText.append(tr(h('span'), (l) => ` ${l.unread}`));
  }

  function open(focus = true) {
    panel.hidden = false;
    launcher.hidden = true;
    markUnread(false);
    save('sessionStorage', OPEN_KEY, '1');
    if (!started) connect();
    log.scrollTop = log.scrollHeight;
    if (focus) input.focus();
  }

  function close() {
    panel.hidden = true;
    launcher.hidden = false;
    save('sessionStorage', OPEN_KEY, '0');
    launcher.focus();
  }

  // Clears what is shown and what this device keeps of the conversation.
  function reset() {
    forget();
    outbox = [];
    seen.clear();
    log.replaceChildren();
    notice.replaceChildren();
    showAlert(null);
    setTyping(false);
    counsellorName = '';
    attempt = 0;
    connection = '';
  }

  function newConversation() {
    // "Ny samtale" ends access to the old one at once: the server forgets its secret.
    sendFrame({ type: 'end' });
    reset();
    connect();
    input.focus();
  }

  function eraseConversation() {
    if (!ready) { showAlert('offline_erase', errorText('offline_erase')); return; }
    if (!window.confirm(L.eraseConfirm)) return;
    sendFrame({ type: 'erase' }); // the server answers `ended`, then we start afresh
  }

  launcher.addEventListener('click', () => open());
  closeBtn.addEventListener('click', close);
  newBtn.addEventListener('click', newConversation);
  eraseBtn.addEventListener('click', eraseConversation);
  rememberBox.addEventListener('change', () => {
    const c = credentials();
    if (c) remember(c); else if (!rememberBox.checked) drop('localStorage', CONV_KEY);
  });
  panel.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !e.defaultPrevented) { e.preventDefault(); close(); }
  });
  select.addEventListener('change', () => {
    lang = normLang(select.value) || 'nb';
    L = T[lang];
    save('sessionStorage', LANG_KEY, lang);
    renderTexts();
    if (ready) sendFrame({ type: 'language', language: lang });
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (submit(input.value)) { input.value = ''; renderCounter(); }
    input.focus();
  });
  input.addEventListener('keydown', (e) => {
    // Enter sends, Shift+Enter is a new line; not while an input method is composing.
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); sendBtn.click(); }
  });
  input.addEventListener('beforeinput', (e) => {
    // maxlength refuses the extra characters silently; say why.
    const full = input.value.length - (input.selectionEnd - input.selectionStart) >= maxChars;
    if (full && e.inputType.startsWith('insert')) showAlert('limit', (l) => l.limit(num(maxChars)));
  });
  input.addEventListener('input', () => {
    renderCounter();
    if (input.value.length >= maxChars) showAlert('limit', (l) => l.limit(num(maxChars)));
    else if (alertCode === 'limit' || alertCode === 'empty_message') showAlert(null);
    // Tell a counsellor the person is typing: once on, off after 4 s without keys.
    if (ready && !ownTyping && input.value) { ownTyping = true; sendFrame({ type: 'typing', on: true }); }
    clearTimeout(ownTypingTimer);
    ownTypingTimer = setTimeout(stopOwnTyping, 4000);
  });
  window.addEventListener('online', () => {
    connection = '';
    if (started && !ready) { attempt = 0; connect(); } else renderStatus();
  });
  window.addEventListener('offline', () => { if (started) { connection = 'offline'; renderStatus(); } });

  renderCounter();

  // Mount once the stylesheet is in, so that the page never shows the widget unstyled.
  const mount = () => {
    if (root.isConnected) return;
    document.body.append(root);
    // A hook for tests and benchmarks: the widget is on the page and usable.
    document.documentElement.dataset.veivalgReady = 'true';
    // Reopen after a reload; and reconnect if the chat was used in this tab, so that a
    // counsellor's message reaches a person who closed the panel and went to another page.
    const was = load('sessionStorage', OPEN_KEY);
    if (was === '1') open(false); else if (was === '0') connect();
  };
  const css = h('link', { rel: 'stylesheet', href: new URL('widget.css', base).href });
  css.addEventListener('load', mount);
  css.addEventListener('error', mount);
  document.head.append(css);

  window.Veivalg = Object.freeze({ open: () => { mount(); open(); }, close: () => { mount(); close(); } });
})();
