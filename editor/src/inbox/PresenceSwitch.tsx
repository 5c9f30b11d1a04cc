import { useEffect, useRef, useState } from 'react';
import { api, ok } from '../api/client.js';
import type { Presence } from './use-people.js';

const OPTIONS: { value: Presence; label: string; help: string }[] = [
  { value: 'online', label: 'Online', help: 'You get new conversations' },
  { value: 'away', label: 'Away', help: 'No new conversations for now' },
  { value: 'offline', label: 'Offline', help: 'Not working' },
];
const STORAGE_KEY = 'baton.inbox.presence';

function remembered(): Presence | undefined {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return value === 'online' || value === 'away' || value === 'offline' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Your presence: only online people are given conversations. Saved on the server (and shown at once from this browser's memory). */
export function PresenceSwitch({ serverValue }: { serverValue: Presence | undefined }) {
  const [value, setValue] = useState<Presence | undefined>(() => remembered());
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string>();
  // The server's value arrives after the first paint; a choice made meanwhile is newer.
  const chosen = useRef(false);
  useEffect(() => {
    if (serverValue && !chosen.current) setValue(serverValue);
  }, [serverValue]);
  const choose = async (next: Presence) => {
    chosen.current = true;
    const before = value;
    setValue(next);
    setSaving(true);
    setError(undefined);
    try {
      await ok(api.PUT('/api/agents/me/status', { body: { status: next } }));
      try {
        localStorage.setItem(STORAGE_KEY, next);
      } catch {
        // The server remembers it anyway.
      }
    } catch (e) {
      setValue(before);
      setError(e instanceof Error ? `Could not change your status: ${e.message}` : 'Could not change your status');
    } finally {
      setSaving(false);
    }
  };
  return (
    <div className="presence">
      <div className="presence-switch" role="radiogroup" aria-label="Your status" aria-busy={saving || undefined} data-testid="presence-switch">
        {OPTIONS.map((option) => (
          <label key={option.value} className={`presence-option presence-${option.value}${value === option.value ? ' selected' : ''}`} title={option.help}>
            <input type="radio" name="presence" value={option.value} checked={value === option.value} onChange={() => void choose(option.value)} />
            <span className="presence-dot" aria-hidden="true" />
            {option.label}
          </label>
        ))}
      </div>
      {error ? (
        <span className="presence-error" role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}
