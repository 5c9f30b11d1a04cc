import { useEffect, useState } from 'react';
import { api, ok } from '../api/client.js';
import { Button } from '../ui/components.js';

const POLL_MS = 5000;

/**
 * Assist mode: the AI's draft of the next reply. Read again when messages arrive and every few
 * seconds while a person has the conversation (drafts are written in the background).
 */
export function SuggestionCard(props: { conversationId: string; active: boolean; messageCount: number; onUse(text: string): void }) {
  const [text, setText] = useState<string | null>(null);
  useEffect(() => {
    if (!props.active) {
      setText(null);
      return;
    }
    let cancelled = false;
    const load = () =>
      ok(api.GET('/api/conversations/{id}/suggestion', { params: { path: { id: props.conversationId } } })).then(
        (r) => !cancelled && setText(r.text),
        () => undefined,
      );
    void load();
    const timer = setInterval(load, POLL_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [props.conversationId, props.active, props.messageCount]);
  if (!text) return null;
  return (
    <section className="suggestion" aria-label="Suggested reply" data-testid="suggestion">
      <div className="suggestion-head">
        <strong>Suggested reply</strong>
        <span className="muted small">drafted by the AI — check it before sending</span>
      </div>
      <p className="suggestion-text">{text}</p>
      <Button small onClick={() => props.onUse(text)}>
        Use this reply
      </Button>
    </section>
  );
}
