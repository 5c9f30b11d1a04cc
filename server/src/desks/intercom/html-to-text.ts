/**
 * Intercom teammate replies arrive as HTML (`<p>` per line, `<br>`, links, inline images); chat
 * channels show plain text. This keeps the line structure a reader sees and drops the markup.
 * Not a general HTML parser: it handles what Intercom's composer produces and degrades to
 * "tags stripped, entities decoded" on anything else.
 */

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ensp: ' ',
  emsp: ' ',
  thinsp: ' ',
  shy: '',
  zwj: '\u200d',
  zwnj: '\u200c',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  lsquo: '‘',
  rsquo: '’',
  sbquo: '‚',
  ldquo: '“',
  rdquo: '”',
  bdquo: '„',
  laquo: '«',
  raquo: '»',
  bull: '•',
  middot: '·',
  copy: '©',
  reg: '®',
  trade: '™',
  euro: '€',
  pound: '£',
  yen: '¥',
  cent: '¢',
  sect: '§',
  para: '¶',
  deg: '°',
  times: '×',
  divide: '÷',
  plusmn: '±',
  iexcl: '¡',
  iquest: '¿',
};

/** Decodes named (a common subset), decimal and hexadecimal character references. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#[xX][0-9a-fA-F]{1,8}|#[0-9]{1,9}|[a-zA-Z][a-zA-Z0-9]{1,31});/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
      // What browsers do with NUL, surrogates and out-of-range references.
      if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
      return String.fromCodePoint(code);
    }
    return NAMED_ENTITIES[ref] ?? NAMED_ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

/** Elements that start and end a line of their own. */
const BLOCKS = new Set([
  'p', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'blockquote', 'pre', 'table', 'tr',
  'section', 'article', 'header', 'footer', 'hr', 'figure', 'figcaption', 'dl', 'dt', 'dd', 'address',
]);
/** Elements whose content is never shown. */
const HIDDEN = new Set(['script', 'style', 'head', 'title', 'template', 'noscript']);

const TOKEN = /<!--[\s\S]*?(?:-->|$)|<![^>]*>|<\?[^>]*>|<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>|[^<]+|</g;

function attribute(attributes: string, name: string): string | undefined {
  const match = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s"'=<>\`]+))`, 'i').exec(attributes);
  if (!match) return undefined;
  const value = decodeEntities(match[1] ?? match[2] ?? match[3] ?? '').trim();
  return value === '' ? undefined : value;
}

/**
 * Paragraphs and other blocks become lines, `<br>` a line break, list items "- " lines, links
 * "text (url)" when the text is not the url itself, images their url; other tags are dropped,
 * entities decoded, runs of white space collapsed (except inside `<pre>`), at most one empty line
 * kept in a row, and the result trimmed.
 */
export function htmlToText(html: string): string {
  let out = '';
  let hiddenUntil: string | undefined;
  let preDepth = 0;
  const links: { href: string | undefined; start: number }[] = [];

  const breakLine = (): void => {
    out = out.replace(/[ \t]+$/, '');
    if (out !== '' && !out.endsWith('\n')) out += '\n';
  };

  for (const match of html.matchAll(TOKEN)) {
    const [token, closing, rawName, attributes = ''] = match;
    if (rawName === undefined) {
      if (hiddenUntil !== undefined || token.startsWith('<!') || token.startsWith('<?')) continue;
      if (preDepth > 0) {
        out += decodeEntities(token);
        continue;
      }
      // HTML white space is one space; at the start of a line it is nothing.
      let text = decodeEntities(token.replace(/[ \t\n\r\f]+/g, ' '));
      if (out === '' || out.endsWith('\n') || out.endsWith(' ')) text = text.replace(/^ +/, '');
      out += text;
      continue;
    }
    const name = rawName.toLowerCase();
    const isClosing = closing === '/';
    if (hiddenUntil !== undefined) {
      if (isClosing && name === hiddenUntil) hiddenUntil = undefined;
      continue;
    }
    if (HIDDEN.has(name)) {
      if (!isClosing && !attributes.trimEnd().endsWith('/')) hiddenUntil = name;
      continue;
    }
    if (name === 'br') {
      out = out.replace(/[ \t]+$/, '') + '\n';
    } else if (name === 'a') {
      if (!isClosing) {
        links.push({ href: attribute(attributes, 'href'), start: out.length });
      } else {
        const link = links.pop();
        if (link?.href) {
          const label = out.slice(link.start).trim();
          const bare = link.href.replace(/^mailto:/i, '');
          if (label === '') out += link.href;
          else if (label !== link.href && label !== bare) out += ` (${link.href})`;
        }
      }
    } else if (name === 'img') {
      const src = attribute(attributes, 'src');
      if (src) out += (out === '' || /[\s]$/.test(out) ? '' : ' ') + src;
    } else if (BLOCKS.has(name)) {
      if (name === 'pre') preDepth = Math.max(0, preDepth + (isClosing ? -1 : 1));
      breakLine();
      if (name === 'li' && !isClosing) out += '- ';
    }
  }

  return out
    .replace(/\u00a0/g, ' ')
    .split('\n')
    .map((line) => line.replace(/[ \t]+$/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
