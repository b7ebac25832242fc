/**
 * The one markdown-it configuration: the server cooks posts with it (then sanitizes with an
 * allowlist), and the composer's preview renders with it (then DOMPurify), so the preview shows
 * what will be posted. Kept out of the package index so only the code that renders pulls it in.
 *
 * - Raw HTML is off: `<b>` in a post is text, not markup.
 * - Links may be http, https, mailto or relative; anything else (javascript:, data:, vbscript:,
 *   file:, ...) is left as plain text.
 * - External links get `rel="nofollow noopener noreferrer"`.
 * - Images are shown as links, never loaded: an image from another host would tell it who reads
 *   the forum and when (and the Content-Security-Policy would block it anyway).
 */
import MarkdownIt from 'markdown-it';

export const ALLOWED_LINK_SCHEMES = ['http', 'https', 'mailto'] as const;
export const EXTERNAL_LINK_REL = 'nofollow noopener noreferrer';

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

/** True for relative links and the allowed schemes. Control and space characters never pass. */
export function isAllowedLink(url: string): boolean {
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (/[\u0000-\u0020\u007f-\u009f]/.test(url)) return false;
  const scheme = SCHEME.exec(url);
  // No scheme: a relative link ("/threads/x", "#post-3", "page:2" is a scheme and is refused).
  if (!scheme) return true;
  return (ALLOWED_LINK_SCHEMES as readonly string[]).includes(scheme[1]!.toLowerCase());
}

/**
 * Links that may leave the forum: any http(s) link, with or without slashes ("http:evil.example"
 * is another host when the page is https), and protocol-relative ones, backslash forms included
 * (browsers read `/\\host` and `\\\\host` as `//host`). Only mailto and plain relative links are not.
 */
export function isExternalLink(url: string): boolean {
  if (/^[\\/]{2}/.test(url)) return true;
  const scheme = SCHEME.exec(url);
  return scheme !== null && scheme[1]!.toLowerCase() !== 'mailto';
}

export function createMarkdown(): MarkdownIt {
  const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });
  md.validateLink = isAllowedLink;
  const renderToken: NonNullable<typeof md.renderer.rules.link_open> = (tokens, idx, options, _env, self) =>
    self.renderToken(tokens, idx, options);
  const defaultLinkOpen = md.renderer.rules.link_open ?? renderToken;
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    const token = tokens[idx]!;
    const href = token.attrGet('href') ?? '';
    if (isExternalLink(href)) token.attrSet('rel', EXTERNAL_LINK_REL);
    return defaultLinkOpen(tokens, idx, options, env, self);
  };
  md.renderer.rules.image = (tokens, idx) => {
    const token = tokens[idx]!;
    const src = token.attrGet('src') ?? '';
    const label = md.utils.escapeHtml(token.content || src);
    const rel = isExternalLink(src) ? ` rel="${EXTERNAL_LINK_REL}"` : '';
    return `<a href="${md.utils.escapeHtml(src)}"${rel}>${label}</a>`;
  };
  return md;
}

let shared: MarkdownIt | undefined;

/** Markdown to (unsanitized) HTML with the forum's settings. Always sanitize what this returns. */
export function renderMarkdown(source: string): string {
  shared ??= createMarkdown();
  return shared.render(source);
}
