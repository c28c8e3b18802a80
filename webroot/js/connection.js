// The SockJS event-bus connection (receive only): reconnects with backoff, re-registers its handlers
// on every new socket, and shows its state in the header.
import { ADDRESSES } from './contract.js';
import { $, setText, setClass } from './dom.js';
import { RECONNECT, reconnectDelay } from './timing.js';
import { state, started } from './state.js';
import { busUrl } from './auth.js';

/**
 * Opens the event bus. `handlers` maps each address key of ADDRESSES to the function that takes its
 * message bodies; `onOpen` runs after every (re)open, to catch up on what the page missed.
 */
export function connect(handlers, onOpen) {
  const EventBus = window.EventBus;
  const eb = new EventBus(busUrl('/eventbus'), RECONNECT);
  eb.enableReconnect(true);
  state.eb = eb;
  eb.onopen = () => {
    // The client forgets its handlers with every new socket: register them again on each (re)open.
    for (const [key, fn] of Object.entries(handlers)) {
      const address = ADDRESSES[key];
      eb.registerHandler(address, (err, msg) => {
        if (err || !msg || msg.body == null) return;
        try { fn(msg.body); } catch (e) { console.warn('argus: bad message on ' + address, e); }
      });
    }
    state.open = true;
    state.everOpen = true;
    renderConn();
    onOpen();
  };
  eb.onclose = () => {
    state.open = false;
    renderConn();
  };
  eb.onerror = (e) => console.warn('argus: event bus error', e && (e.body || e.message || e));
}

/** The header's connection pill and the offline banner. */
export function renderConn() {
  const c = $('conn');
  const eb = state.eb;
  if (state.open) {
    const quiet = state.lastStatsAt && Date.now() - state.lastStatsAt > 5000;
    setText(c, quiet ? 'live · no stats' : 'live');
    c.dataset.state = 'open';
    setClass(c, 'conn-', quiet ? 'warn' : 'up');
    if (c.title) c.title = '';
  } else {
    const attempts = eb ? eb.reconnectAttempts || 0 : 0;
    const attempt = attempts ? ' (attempt ' + attempts + ')' : '';
    setText(c, state.everOpen ? 'reconnecting…' + attempt : 'connecting…' + attempt);
    c.dataset.state = 'closed';
    setClass(c, 'conn-', 'down');
    // vertx-eventbus.js counts an attempt after computing its delay: attempt n waits reconnectDelay(n − 1)
    const title = attempts ? 'attempt ' + attempts + ' after at most ' + Math.ceil(reconnectDelay(attempts - 1).max / 1000) + ' s' : '';
    if (c.title !== title) c.title = title;
  }
  $('offline').hidden = state.open || (!state.everOpen && Date.now() - started < 4000);
  document.body.classList.toggle('offline-mode', !state.open && state.everOpen);
}
