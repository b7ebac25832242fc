/**
 * User text keeps its own direction in any interface language. Cooked post HTML is served as the
 * server stored it; before it is shown, each block of it (paragraph, list item, quote, heading,
 * table cell) gets `dir="auto"`, so a French citation inside an Arabic post, or an Arabic
 * paragraph in an English one, takes the direction of its own first letters.
 *
 * Done here rather than in the server's cooking: the stored HTML (posts and every revision) needs
 * no re-cooking, and the server's quote handling, which matches the exact `<p>` and `<blockquote>`
 * tags it cooked, is left as it is. The sanitizer allows no attributes on these tags, so the tags
 * matched here are bare.
 */
const BLOCK = /<(p|li|blockquote|h[1-6]|td|th)>/g;

/** Cooked HTML with `dir="auto"` on each bare block tag. */
export function autoDirection(html: string): string {
  return html.replace(BLOCK, '<$1 dir="auto">');
}
