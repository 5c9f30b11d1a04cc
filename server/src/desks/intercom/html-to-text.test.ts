import { describe, expect, test } from 'vitest';
import { decodeEntities, htmlToText } from './html-to-text.js';

describe('htmlToText', () => {
  test.each([
    ['plain text stays as it is', 'Hello there', 'Hello there'],
    ['one paragraph', '<p>Hi, I am Anna from support</p>', 'Hi, I am Anna from support'],
    ['paragraphs become lines (Intercom writes one <p> per line)', '<p>Hi!</p><p>How can I help?</p>', 'Hi!\nHow can I help?'],
    ['an empty paragraph is an empty line', '<p>Hi!</p><p><br></p><p>Bye</p>', 'Hi!\n\nBye'],
    ['<br> in all its spellings', 'one<br>two<BR/>three<br />four', 'one\ntwo\nthree\nfour'],
    ['a trailing <br> in a paragraph adds nothing', '<p>line<br></p><p>next</p>', 'line\nnext'],
    ['inline tags are dropped, their text kept', '<p>This is <b>very</b> <i>important</i></p>', 'This is very important'],
    ['source white space collapses', '<p>  spread\n   over\tlines  </p>\n\n<p>  next </p>', 'spread over lines\nnext'],
    ['entities are decoded', '<p>Tom &amp; Jerry &lt;3 &quot;cheese&quot; &#39;n&#x27; crackers &hellip;</p>', 'Tom & Jerry <3 "cheese" \'n\' crackers …'],
    ['decoded markup stays text', '<p>&lt;b&gt;not bold&lt;/b&gt;</p>', '<b>not bold</b>'],
    ['non-breaking spaces are spaces', '<p>a&nbsp;b\u00a0c</p>', 'a b c'],
    ['links keep their address', '<p>See <a href="https://help.example/reset?a=1&amp;b=2">our guide</a>.</p>', 'See our guide (https://help.example/reset?a=1&b=2).'],
    ['a link showing its own address is not doubled', '<a href="https://x.example">https://x.example</a>', 'https://x.example'],
    ['a mail link showing the address is not doubled', '<a href="mailto:help@x.example">help@x.example</a>', 'help@x.example'],
    ['an empty link shows its address', '<a href="https://x.example"></a>', 'https://x.example'],
    ['images become their address', '<div class="intercom-container"><img src="https://downloads.intercomcdn.com/i/o/1/photo.png"></div>', 'https://downloads.intercomcdn.com/i/o/1/photo.png'],
    ['list items become "- " lines', '<ul><li>first</li><li>second</li></ul>', '- first\n- second'],
    ['scripts and styles are not text', '<style>p{color:red}</style><p>ok</p><script>alert(1)</script>', 'ok'],
    ['comments vanish', '<p>a<!-- secret --> b</p>', 'a b'],
    ['a lone < is text', '<p>1 < 2</p>', '1 < 2'],
    ['no more than one empty line in a row', '<p>a</p><p><br></p><p><br></p><p><br></p><p>b</p>', 'a\n\nb'],
    ['pre keeps its white space', '<pre>  x = 1\n  y = 2</pre>', 'x = 1\n  y = 2'],
    ['headings and block quotes are lines', '<h2>Title</h2><blockquote>quoted</blockquote>after', 'Title\nquoted\nafter'],
    ['non-ASCII text survives', '<p>Grüße, 你好 👋</p>', 'Grüße, 你好 👋'],
    ['empty input', '', ''],
    ['only markup', '<p></p><br>', ''],
  ])('%s', (_name, html, text) => {
    expect(htmlToText(html)).toBe(text);
  });
});

describe('decodeEntities', () => {
  test('named, decimal and hexadecimal references', () => {
    expect(decodeEntities('&euro;5 &#8364;5 &#x20AC;5 &EURO;5')).toBe('€5 €5 €5 €5');
  });

  test('unknown names and text without a semicolon are left alone', () => {
    expect(decodeEntities('&bogus; AT&T &amp')).toBe('&bogus; AT&T &amp');
  });

  test('references to NUL, surrogates or beyond Unicode become the replacement character', () => {
    expect(decodeEntities('&#0;&#xD800;&#x110000;')).toBe('\ufffd\ufffd\ufffd');
  });

  test('decoding happens once (&amp;lt; is the text &lt;)', () => {
    expect(decodeEntities('&amp;lt;')).toBe('&lt;');
  });
});
