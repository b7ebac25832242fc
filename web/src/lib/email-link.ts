/**
 * Email links carry their secret in the URL's fragment (`#token=...`), which browsers never send
 * to the server. A page takes it once and clears it from the address bar, so it stays neither in
 * the history nor on screen.
 */
export function takeLinkSecret(): { token: string | null; change: boolean } {
  const params = new URLSearchParams(globalThis.location.hash.slice(1));
  const token = params.get('token');
  const change = params.get('change');
  if (token || change) {
    const { pathname, search } = globalThis.location;
    globalThis.history.replaceState(globalThis.history.state, '', `${pathname}${search}`);
  }
  return { token: token ?? change, change: change !== null && token === null };
}
