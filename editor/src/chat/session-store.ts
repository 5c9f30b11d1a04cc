// Which conversation this browser has with a bot, so that a reload continues it. The storage is
// injected (the iframe's localStorage may be missing or refuse access: then nothing is kept).

export interface StoredChat {
  conversationId: string;
  token: string;
}

export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export const storageKey = (botId: string) => `baton.chat.${botId}`;

export function readStoredChat(storage: KeyValueStorage | undefined, botId: string): StoredChat | undefined {
  try {
    const raw = storage?.getItem(storageKey(botId));
    if (!raw) return undefined;
    const value = JSON.parse(raw) as Partial<StoredChat> | null;
    if (typeof value?.conversationId !== 'string' || typeof value.token !== 'string' || !value.conversationId || !value.token) return undefined;
    return { conversationId: value.conversationId, token: value.token };
  } catch {
    return undefined;
  }
}

export function writeStoredChat(storage: KeyValueStorage | undefined, botId: string, chat: StoredChat): void {
  try {
    storage?.setItem(storageKey(botId), JSON.stringify({ conversationId: chat.conversationId, token: chat.token }));
  } catch {
    // Storage full or blocked: the chat works, a reload starts a new one.
  }
}

export function clearStoredChat(storage: KeyValueStorage | undefined, botId: string): void {
  try {
    storage?.removeItem(storageKey(botId));
  } catch {
    // Nothing kept, nothing to clear.
  }
}

/** The page's localStorage, or undefined where the browser refuses it (third-party frames in some browsers). */
export function browserStorage(): KeyValueStorage | undefined {
  try {
    const storage = window.localStorage;
    const probe = '__baton_probe__';
    storage.setItem(probe, '1');
    storage.removeItem(probe);
    return storage;
  } catch {
    return undefined;
  }
}
