import { useEffect, useRef, type DependencyList } from 'react';

/** Within this many pixels of the end, the reader counts as following what arrives. */
const NEAR_END_PX = 80;

/**
 * Keeps a scrolling list at its end as `deps` change (messages arrive), unless the reader scrolled
 * up to read. `box` goes on the scrolling element (with `onScroll`), `end` on an element after the list.
 */
export function useFollowEnd(deps: DependencyList) {
  const end = useRef<HTMLDivElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const follow = useRef(true);
  useEffect(() => {
    if (follow.current) end.current?.scrollIntoView({ block: 'end' });
  }, deps);
  const onScroll = () => {
    const el = box.current;
    if (el) follow.current = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_END_PX;
  };
  return { box, end, onScroll };
}
