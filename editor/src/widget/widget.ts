// The embeddable widget, one classic script on any site:
//   <script src="https://baton.example/widget.js" data-bot="bot_…" data-color="#3355ff" async></script>
// A chat bubble that opens the chat page (/chat/<botId> on Baton's origin) in an iframe, and
// `window.Baton` to drive it. Everything it draws lives in a shadow root: no CSS in or out.
// The colour: data-color when the tag has one, else the bot's widget settings, else the default.
import { chosenColor, parseAppearance, resolveColor, type Appearance } from '../chat/appearance.js';
import { textColorOn } from '../chat/color.js';
import { asOrigin } from '../chat/params.js';
import { parseChatMessage, parseWidgetUser, type HostMessage, type WidgetUser } from '../chat/protocol.js';

export interface BatonApi {
  open(): void;
  close(): void;
  toggle(): void;
  setEmail(email: string): void;
  setUser(user: WidgetUser): void;
  /** Runs `callback` once the chat in the frame is ready (at once when it is). */
  onReady(callback: (api: BatonApi) => void): void;
  readonly isOpen: boolean;
}

declare global {
  interface Window {
    Baton?: BatonApi | { q?: [string, unknown[]][] };
  }
}

const script = document.currentScript as HTMLScriptElement | null;

function setup(): void {
  if (!script) return;
  const botId = script.dataset['bot'];
  const baton = asOrigin(new URL(script.src, window.location.href).origin);
  if (!botId || !baton) {
    console.error('[baton] the widget needs data-bot="bot_…" on its <script> tag');
    return;
  }
  const existing = window.Baton;
  if (existing && 'open' in existing) return; // the script was included twice
  const embedColor = script.dataset['color'];
  /** The colour for the chat page it frames (`?color=`), once the bot's settings are read. */
  let pageColor: string | undefined;
  const title = script.dataset['title'];
  const label = script.dataset['label'] ?? 'Chat with us';
  const position = script.dataset['position'] === 'left' ? 'left' : 'right';
  const startedKey = `baton.widget.${botId}.started`;

  const host = document.createElement('div');
  host.setAttribute('data-baton-widget', botId);
  host.style.cssText = 'all: initial; position: fixed; z-index: 2147483000; bottom: 0; right: 0; width: 0; height: 0;';
  const root = host.attachShadow({ mode: 'open' });
  const side = `${position}: 20px;`;
  root.innerHTML = `<style>
    :host { all: initial; }
    * { box-sizing: border-box; }
    .bubble { position: fixed; bottom: 20px; ${side} width: 60px; height: 60px; border-radius: 50%; border: 0; cursor: pointer;
      box-shadow: 0 6px 24px rgba(0,0,0,.22); display: grid; place-items: center;
      transition: transform .15s ease; font: 600 12px/1 system-ui, sans-serif; }
    .bubble:hover { transform: scale(1.05); }
    .bubble:focus-visible { outline: 3px solid; outline-offset: 3px; }
    .bubble svg { width: 28px; height: 28px; }
    .badge { position: absolute; top: -2px; ${position === 'left' ? 'left' : 'right'}: -2px; min-width: 22px; height: 22px; padding: 0 6px; border-radius: 11px;
      background: #e11d48; color: #fff; font: 700 12px/22px system-ui, sans-serif; text-align: center; box-shadow: 0 0 0 2px #fff; }
    .badge[hidden] { display: none; }
    .panel { position: fixed; bottom: 92px; ${side} width: 380px; height: min(640px, calc(100vh - 112px)); border-radius: 16px; overflow: hidden;
      box-shadow: 0 12px 48px rgba(0,0,0,.25); background: #f4f5f7; opacity: 0; transform: translateY(12px); pointer-events: none;
      transition: opacity .18s ease, transform .18s ease; }
    .panel.open { opacity: 1; transform: none; pointer-events: auto; }
    .panel[hidden] { display: none; }
    iframe { border: 0; width: 100%; height: 100%; display: block; }
    @media (max-width: 480px) {
      .panel { inset: 0; width: auto; height: auto; border-radius: 0; bottom: 0; }
      .panel.open ~ .bubble { display: none; }
    }
    @media (prefers-reduced-motion: reduce) { .panel, .bubble { transition: none; } }
  </style>
  <style class="theme"></style>
  <div class="panel" part="panel" hidden></div>
  <button class="bubble" part="bubble" type="button" aria-expanded="false" aria-label="${escapeAttr(label)}">
    <svg viewBox="0 0 24 24" aria-hidden="true" class="icon-chat"><path fill="currentColor" d="M12 3C6.5 3 2 6.9 2 11.6c0 2.4 1.1 4.5 3 6.1-.2 1.5-.9 2.8-2 3.8 2 .1 3.9-.6 5.3-1.7 1.2.4 2.4.6 3.7.6 5.5 0 10-3.9 10-8.7S17.5 3 12 3z"/></svg>
    <svg viewBox="0 0 24 24" aria-hidden="true" class="icon-close" style="display:none"><path d="M6 6l12 12M18 6L6 18" stroke="currentColor" stroke-width="2.4" stroke-linecap="round"/></svg>
    <span class="badge" hidden></span>
  </button>`;
  const panel = root.querySelector('.panel') as HTMLDivElement;
  const bubble = root.querySelector('.bubble') as HTMLButtonElement;
  const badge = root.querySelector('.badge') as HTMLSpanElement;
  const iconChat = root.querySelector('.icon-chat') as SVGElement;
  const iconClose = root.querySelector('.icon-close') as SVGElement;
  const theme = root.querySelector('style.theme') as HTMLStyleElement;
  // Only ever a checked #rgb / #rrggbb colour goes into the style sheet. The bubble is not shown
  // before the bot's settings are read: no flash of another colour.
  const applyColor = (appearance: Appearance) => {
    const color = resolveColor(embedColor, appearance.color);
    pageColor = chosenColor(embedColor, appearance.color);
    theme.textContent = `.bubble { background: ${color}; color: ${textColorOn(color)}; } .bubble:focus-visible { outline-color: ${color}; }`;
  };
  applyColor({});

  let frame: HTMLIFrameElement | undefined;
  let ready = false;
  let isOpen = false;
  let user: WidgetUser = {};
  const readyCallbacks: ((api: BatonApi) => void)[] = [];
  const outbox: HostMessage[] = [];

  const remember = (started: boolean) => {
    try {
      if (started) window.localStorage.setItem(startedKey, '1');
    } catch {
      // Without storage the frame loads on the first open only.
    }
  };
  const startedBefore = () => {
    try {
      return window.localStorage.getItem(startedKey) === '1';
    } catch {
      return false;
    }
  };

  const toChat = (message: HostMessage) => {
    if (!frame?.contentWindow || !ready) return void outbox.push(message);
    frame.contentWindow.postMessage(message, baton);
  };

  const ensureFrame = () => {
    if (frame) return frame;
    const query = new URLSearchParams({ parent: window.location.origin });
    if (pageColor) query.set('color', pageColor);
    if (user.email) query.set('email', user.email);
    if (title) query.set('title', title);
    frame = document.createElement('iframe');
    frame.src = `${baton}/chat/${encodeURIComponent(botId)}?${query}`;
    frame.title = title ?? label;
    frame.allow = 'clipboard-write';
    panel.appendChild(frame);
    remember(true);
    return frame;
  };

  const render = () => {
    // One name whether open or not (screen readers say "expanded" / "collapsed" from aria-expanded).
    bubble.setAttribute('aria-expanded', String(isOpen));
    iconChat.style.display = isOpen ? 'none' : '';
    iconClose.style.display = isOpen ? '' : 'none';
  };

  const open = () => {
    if (isOpen) return;
    isOpen = true;
    ensureFrame();
    panel.hidden = false;
    // Next frame, so the transition runs from the hidden state.
    requestAnimationFrame(() => panel.classList.add('open'));
    render();
    setBadge(0);
    toChat({ type: 'baton:visibility', visible: true });
    frame?.focus();
  };

  const close = (restoreFocus = true) => {
    if (!isOpen) return;
    isOpen = false;
    panel.classList.remove('open');
    panel.hidden = true;
    render();
    toChat({ type: 'baton:visibility', visible: false });
    if (restoreFocus) bubble.focus();
  };

  const setBadge = (count: number) => {
    badge.hidden = count <= 0 || isOpen;
    badge.textContent = count > 9 ? '9+' : String(count);
    bubble.setAttribute('aria-label', !isOpen && count > 0 ? `${label} (${count} new)` : label);
  };

  const setUser = (next: WidgetUser) => {
    const parsed = parseWidgetUser(next);
    if (!parsed) return console.error('[baton] setUser needs an email, a name or an externalId');
    user = { ...user, ...parsed };
    if (frame) toChat({ type: 'baton:set-user', user: parsed });
  };

  window.addEventListener('message', (event) => {
    if (!frame || event.source !== frame.contentWindow || event.origin !== baton) return;
    const message = parseChatMessage(event.data);
    if (!message) return;
    if (message.type === 'baton:ready') {
      ready = true;
      // What the page said before the frame could listen.
      if (Object.keys(user).length) frame.contentWindow!.postMessage({ type: 'baton:set-user', user } satisfies HostMessage, baton);
      for (const m of outbox.splice(0)) if (m.type !== 'baton:set-user') frame.contentWindow!.postMessage(m, baton);
      frame.contentWindow!.postMessage({ type: 'baton:visibility', visible: isOpen } satisfies HostMessage, baton);
      for (const callback of readyCallbacks.splice(0)) callback(api);
    } else if (message.type === 'baton:close') {
      close();
    } else if (message.type === 'baton:unread') {
      setBadge(isOpen ? 0 : message.count);
    }
  });
  bubble.addEventListener('click', () => (isOpen ? close() : open()));
  root.addEventListener('keydown', (event) => {
    if ((event as KeyboardEvent).key === 'Escape' && isOpen) close();
  });

  const api: BatonApi = {
    open,
    close: () => close(false),
    toggle: () => (isOpen ? close(false) : open()),
    setEmail: (email) => setUser({ email }),
    setUser,
    onReady(callback) {
      if (ready) queueMicrotask(() => callback(api));
      else readyCallbacks.push(callback);
    },
    get isOpen() {
      return isOpen;
    },
  };

  const queued = existing && 'q' in existing && Array.isArray(existing.q) ? existing.q : [];
  window.Baton = api;
  const mount = () => {
    document.body.appendChild(host);
    // A conversation started on an earlier page: load it (hidden), so new answers show on the bubble.
    if (startedBefore()) ensureFrame();
    // Calls made before the script loaded: window.Baton = { q: [['setEmail', ['ann@example.com']]] }.
    for (const [method, args] of queued) {
      const fn = (api as unknown as Record<string, unknown>)[method];
      if (typeof fn === 'function') (fn as (...a: unknown[]) => void).apply(api, args);
    }
    window.dispatchEvent(new CustomEvent('baton:ready', { detail: api }));
  };
  // Only on the sites in the bot's widget settings: elsewhere the chat page refuses to be framed,
  // and a bubble that opens an error would be worse than none.
  void lookUp(baton, botId).then((answer) => {
    if (!answer) {
      console.error(`[baton] the chat is not shown: ${window.location.origin} is not an allowed origin of ${botId} (Settings → Chat widget), or ${baton} cannot be reached`);
      return;
    }
    applyColor(answer);
    if (document.body) mount();
    else document.addEventListener('DOMContentLoaded', mount, { once: true });
  });
}

/**
 * The bot's appearance (colour, greeting) when Baton answers this site for the bot, else undefined:
 * CORS lets the answer through only for its allowed origins.
 */
async function lookUp(baton: string, botId: string): Promise<Appearance | undefined> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      const response = await fetch(`${baton}/api/bots/${encodeURIComponent(botId)}/appearance`, { mode: 'cors', credentials: 'omit' });
      if (!response.ok) return undefined;
      // Allowed: an answer that cannot be read only costs the settings' colour.
      return parseAppearance(await response.json().catch(() => undefined));
    } catch {
      // Refused by CORS, or the network: the two look the same from here, so try a little longer.
      await new Promise((resolve) => setTimeout(resolve, attempt * 1000));
    }
  }
  return undefined;
}

function escapeAttr(value: string): string {
  return value.replace(/[&"<>]/g, (c) => ({ '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;' })[c]!);
}

setup();
