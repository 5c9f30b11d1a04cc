import { useId, useState } from 'react';
import { Button } from '../ui/components.js';
import { embedSnippet, iframeUrl } from './widget-options.js';

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** What a site owner pastes: the script tag, or the chat page's URL for an iframe. */
export function EmbedSnippet({ botId }: { botId: string }) {
  const id = useId();
  const origin = window.location.origin;
  const [copied, setCopied] = useState('');
  const script = embedSnippet(origin, botId);
  const frame = `${iframeUrl(origin, botId)}?email=…`;
  const copy = async (what: string, text: string) => setCopied((await copyText(text)) ? `${what} copied` : `Could not copy: select the ${what.toLowerCase()} and copy it`);
  return (
    <div className="embed">
      <h3>Add the chat to a site</h3>
      <p className="help" id={`${id}-script-help`}>
        Paste this before <code>&lt;/body&gt;</code> on every page that should have the chat bubble. Add the site's origin above too.
      </p>
      <div className="snippet row">
        <pre tabIndex={0} aria-label="Embed snippet" aria-describedby={`${id}-script-help`} data-testid="embed-snippet">
          {script}
        </pre>
        <Button small onClick={() => void copy('Snippet', script)}>
          Copy snippet
        </Button>
      </div>
      <p className="help" id={`${id}-frame-help`}>
        Or show the chat in an iframe; <code>?email=</code> tells the bot who the user is (optional).
      </p>
      <div className="snippet row">
        <pre tabIndex={0} aria-label="Chat page URL" aria-describedby={`${id}-frame-help`} data-testid="iframe-url">
          {frame}
        </pre>
        <Button small onClick={() => void copy('URL', iframeUrl(origin, botId))}>
          Copy URL
        </Button>
      </div>
      <p className="sr-only" role="status">
        {copied}
      </p>
      {copied ? <p className="muted small" aria-hidden="true">{copied}</p> : null}
    </div>
  );
}
