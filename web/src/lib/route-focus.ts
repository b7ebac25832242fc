/**
 * After a client-side navigation, focus moves to the new page's main heading, so that a screen
 * reader announces the page and the next Tab starts from its top (without this, focus stays on
 * the link that was clicked, now gone, and falls to the body). Pages load their data first, so
 * the heading is awaited. Nothing moves if the person has focused something meanwhile, or if the
 * address names a target of its own (`#post-12`: the page takes focus there).
 */
export function focusPageHeading(main: HTMLElement, timeoutMs = 8000): () => void {
  const start = document.activeElement;
  let done = false;
  const tryFocus = (): boolean => {
    if (done) return true;
    // Someone (the person, or a page focusing its own first field) has put focus somewhere.
    if (document.activeElement !== start && document.activeElement !== document.body) return (done = true);
    const heading = main.querySelector<HTMLElement>('h1');
    if (!heading) return false;
    if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: true });
    return (done = true);
  };
  if (location.hash.length > 1 || tryFocus()) return () => undefined;
  const observer = new MutationObserver(() => {
    if (tryFocus()) stop();
  });
  const timer = setTimeout(() => stop(), timeoutMs);
  function stop(): void {
    done = true;
    observer.disconnect();
    clearTimeout(timer);
  }
  observer.observe(main, { childList: true, subtree: true });
  return stop;
}
