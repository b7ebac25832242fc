/**
 * Cooking: markdown source → the HTML the forum serves. markdown-it (shared settings: no raw HTML,
 * safe link schemes, no images) renders, then sanitize-html enforces an allowlist, so a bug or a
 * trick in the renderer still cannot put a script, a style or an event handler in a page. The
 * cooked HTML is stored beside the source and served as is.
 */
import {
  ALLOWED_LINK_SCHEMES,
  EXTERNAL_LINK_REL,
  isExternalLink,
  renderMarkdown,
  type MentionEnv,
} from '@lexforum/shared/markdown';
import { ANALYSIS_SECTIONS, ANALYSIS_SECTION_TITLES, type AnalysisSectionKey } from '@lexforum/shared';
import sanitizeHtml from 'sanitize-html';
import { dropQuotes } from './quotes.js';

/**
 * Never `textarea`, `xmp`, `svg`, `math`, `style`, `iframe` (nor `script`, `form`, ...): only the
 * elements markdown-it produces for the syntax we support.
 */
const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'hr',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'blockquote',
    'pre',
    'code',
    'em',
    'strong',
    's',
    'ul',
    'ol',
    'li',
    'a',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
  ],
  allowedAttributes: { a: ['href', 'rel', 'title', 'class'], ol: ['start'], code: ['class'] },
  allowedClasses: { code: [/^language-[A-Za-z0-9_+-]{1,40}$/], a: ['mention'] },
  allowedSchemes: [...ALLOWED_LINK_SCHEMES],
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: true,
  disallowedTagsMode: 'escape',
  // The allowlist decides rel: external links always carry it, whatever the renderer did.
  transformTags: {
    a: (tagName, attribs) => {
      const href = attribs.href ?? '';
      const next: Record<string, string> = { ...attribs };
      if (isExternalLink(href)) next.rel = EXTERNAL_LINK_REL;
      else delete next.rel;
      return { tagName, attribs: next };
    },
  },
};

/** Markdown source to sanitized HTML; with `mentions`, `@username` of those members becomes a link. */
export function cookMarkdown(source: string, mentions?: MentionEnv): string {
  return sanitizeHtml(renderMarkdown(source, mentions), SANITIZE_OPTIONS);
}

/** The members a cooked post links as mentions (ours: the renderer wrote those links). */
export function mentionedIn(cooked: string): Set<string> {
  const ids = new Set<string>();
  for (const match of cooked.matchAll(/<a href="\/members\/([^"]+)" class="mention">/g)) {
    ids.add(decodeURIComponent(match[1]!));
  }
  return ids;
}

export interface CookedSection {
  key: AnalysisSectionKey;
  title: string;
  cooked: string;
}

/**
 * The sections of a legal analysis, each cooked on its own, and the whole as one HTML string
 * with a heading per section (the headings and wrappers are ours, never user input).
 */
export function cookSections(
  sections: Record<AnalysisSectionKey, string>,
  mentions?: MentionEnv,
): {
  sections: CookedSection[];
  cooked: string;
} {
  const cooked = ANALYSIS_SECTIONS.map((key) => ({
    key,
    title: ANALYSIS_SECTION_TITLES[key],
    cooked: cookMarkdown(sections[key], mentions),
  }));
  return {
    sections: cooked,
    cooked: cooked
      .map((s) => `<section class="analysis-section" data-section="${s.key}"><h2>${s.title}</h2>${s.cooked}</section>`)
      .join(''),
  };
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' };

/** Plain text of some markdown, for excerpts (drafts list, notifications); quotes of other posts left out. */
export function excerptOf(source: string, max = 160): string {
  // sanitize-html escapes the text it keeps; the excerpt is plain text, so decode that again.
  const text = sanitizeHtml(dropQuotes(renderMarkdown(source)), { allowedTags: [], allowedAttributes: {} })
    .replace(/&(lt|gt|quot|#39|amp);/g, (_, name: string) => ENTITIES[name]!)
    .replace(/\s+/g, ' ')
    .trim();
  return [...text].length > max ? `${[...text].slice(0, max - 1).join('')}…` : text;
}
