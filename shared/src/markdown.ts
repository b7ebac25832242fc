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
 * - `@username` becomes a link to the member when the renderer is told who that is
 *   (`MentionEnv`), and stays text otherwise (in code, inside links, unknown names, the preview).
 */
import MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';

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

/** Passed as markdown-it's `env`: who the mentionable names are, and (out) who was mentioned. */
export interface MentionEnv {
  /** Lower-case username → member id, for the names the source may mention. */
  mentionable: ReadonlyMap<string, string>;
  /** Filled by the renderer: the ids of the members actually linked. */
  mentioned: Set<string>;
}

/** Candidate usernames in a source: a superset (code, links) the server looks up before rendering. */
export function mentionCandidates(source: string): string[] {
  const names = new Set<string>();
  for (const match of source.matchAll(MENTION_PATTERN)) {
    const name = match[2]!.toLowerCase();
    names.add(name);
    // "@camille.laurent." at the end of a sentence: the name without trailing punctuation.
    names.add(name.replace(/[._-]+$/, ''));
  }
  return [...names].filter((n) => n.length >= 2).slice(0, MAX_MENTIONS * 2);
}

/** More distinct names than this in one post are not linked (nor notified): a post is not a mailing list. */
export const MAX_MENTIONS = 20;

/** `@name` at the start or after a character that cannot be part of an address or a name. */
const MENTION_PATTERN = /(^|[^\p{L}\p{N}_@./+-])@([a-z0-9][a-z0-9._-]{1,29})/giu;

function linkMentions(md: MarkdownIt): void {
  md.core.ruler.push('mentions', (state) => {
    const env = state.env as Partial<MentionEnv> | undefined;
    if (!env?.mentionable || !env.mentioned) return;
    const { mentionable, mentioned } = env;
    for (const block of state.tokens) {
      if (block.type !== 'inline' || !block.children) continue;
      const out: typeof block.children = [];
      let inLink = 0;
      for (const token of block.children) {
        if (token.type === 'link_open') inLink++;
        if (token.type === 'link_close') inLink--;
        if (token.type !== 'text' || inLink > 0 || !token.content.includes('@')) {
          out.push(token);
          continue;
        }
        let last = 0;
        const text = token.content;
        for (const match of text.matchAll(MENTION_PATTERN)) {
          let name = match[2]!.toLowerCase();
          let id = mentionable.get(name);
          if (!id) {
            name = name.replace(/[._-]+$/, '');
            id = mentionable.get(name);
          }
          if (!id || (!mentioned.has(id) && mentioned.size >= MAX_MENTIONS)) continue;
          mentioned.add(id);
          const start = match.index + match[1]!.length;
          const end = start + 1 + name.length;
          if (start > last) out.push(textToken(state, text.slice(last, start)));
          const open = new state.Token('link_open', 'a', 1);
          open.attrs = [
            ['href', `/members/${encodeURIComponent(id)}`],
            ['class', 'mention'],
          ];
          out.push(open, textToken(state, `@${name}`), new state.Token('link_close', 'a', -1));
          last = end;
        }
        if (last === 0) out.push(token);
        else if (last < text.length) out.push(textToken(state, text.slice(last)));
      }
      block.children = out;
    }
  });
}

function textToken(state: { Token: new (type: string, tag: string, nesting: -1 | 0 | 1) => Token }, content: string) {
  const token = new state.Token('text', '', 0);
  token.content = content;
  return token;
}

export function createMarkdown(): MarkdownIt {
  const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });
  linkMentions(md);
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
export function renderMarkdown(source: string, env?: MentionEnv): string {
  shared ??= createMarkdown();
  return shared.render(source, env);
}
