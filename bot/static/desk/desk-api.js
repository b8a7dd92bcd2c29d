/* The desk's two lines to the server: the HTTP API (fetch, with the session cookie) and
   the desk socket, reconnected with backoff. docs/desk-api.md. */

// The API and the socket live beside this script (/desk/), wherever the desk is mounted.
const BASE = new URL('.', import.meta.url);
const API = new URL('api/', BASE);
const SOCKET = new URL('socket', BASE);
SOCKET.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
const RETRY_MAX_MS = 30000;

export class ApiError extends Error {
  constructor(status, data, action = '') {
    super((data && data.error) || `HTTP ${status}`);
    this.status = status;
    this.code = (data && data.error) || '';
    this.action = action; // the last part of the path: take, messages, notes …
    this.retryAfter = Number(data && data.retry_after) || 0; // seconds, on a 429
  }
}

let sessionExpired = () => {};
// What a 401 from any call does (the entry module ends the session).
export function onSessionExpired(handler) { sessionExpired = handler; }

// Every call goes through here, so that a 401 anywhere ends the session the same way.
export async function api(method, path, body, { expect401 = false } = {}) {
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
export const casePath = (id, action = '') => `cases/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;

// The desk socket. `loggedIn()` says whether to keep trying; `onStatus` gets connecting,
// reconnecting (online comes with the hello frame); `onLost` runs when a socket drops.
export function deskSocket({ loggedIn, onFrame, onStatus, onLost }) {
  let ws = null;            // the current socket; events from older sockets are ignored
  let attempt = 0;
  let retryTimer = 0;

  function connect() {
    clearTimeout(retryTimer);
    // Never two sockets: a stray one would keep us "online" for the server after logout.
    if (ws) { const old = ws; ws = null; old.close(1000); }
    if (!loggedIn()) return;
    onStatus(attempt ? 'reconnecting' : 'connecting');
    let sock;
    try { sock = new WebSocket(SOCKET.href); } catch { scheduleReconnect(); return; }
    ws = sock;
    sock.addEventListener('message', (e) => { if (ws === sock) onFrame(e.data); });
    sock.addEventListener('close', (e) => {
      if (ws !== sock) return;
      ws = null;
      onLost();
      if (e.code === 4401 || e.reason === 'not_logged_in') { sessionExpired(); return; }
      scheduleReconnect();
    });
  }

  function disconnect() {
    clearTimeout(retryTimer);
    if (ws) { const old = ws; ws = null; old.close(1000); }
  }

  function scheduleReconnect() {
    if (!loggedIn()) return;
    // 1 s doubling to 30 s. No jitter: a handful of counsellors cannot swamp the server,
    // and their open cases go back to the queue if they stay away too long.
    const delay = Math.min(RETRY_MAX_MS, 1000 * 2 ** attempt);
    attempt += 1;
    onStatus('reconnecting');
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

  return {
    connect,
    disconnect,
    // Connected (the hello came) or a new session: the next drop starts at 1 s again.
    settled() { attempt = 0; },
    // The network is back: try now rather than at the end of the backoff.
    retryNow() {
      if (ws) return;
      clearTimeout(retryTimer);
      attempt = 0;
      reconnect();
    },
    send(frame) {
      if (!ws || ws.readyState !== WebSocket.OPEN) return false;
      ws.send(JSON.stringify(frame));
      return true;
    },
  };
}
