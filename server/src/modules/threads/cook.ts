/**
 * Cooking: markdown source → the HTML the forum serves. markdown-it (shared settings: no raw HTML,
 * safe link schemes, no images) renders, then sanitize-html enforces an allowlist, so a bug or a
 * trick in the renderer still cannot put a script, a style or an event handler in a page. The
 * cooked HTML is stored beside the source and served as is.
 */
import { ALLOWED_LINK_SCHEMES, EXTERNAL_LINK_REL, isExternalLink, renderMarkdown } from '@lexforum/shared/markdown';
import { ANALYSIS_SECTIONS, ANALYSIS_SECTION_TITLES, type AnalysisSectionKey } from '@lexforum/shared';
import sanitizeHtml from 'sanitize-html';

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
  allowedAttributes: { a: ['href', 'rel', 'title'], ol: ['start'], code: ['class'] },
  allowedClasses: { code: [/^language-[A-Za-z0-9_+-]{1,40}$/] },
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

/** Markdown source to sanitized HTML. */
export function cookMarkdown(source: string): string {
  return sanitizeHtml(renderMarkdown(source), SANITIZE_OPTIONS);
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
export function cookSections(sections: Record<AnalysisSectionKey, string>): {
  sections: CookedSection[];
  cooked: string;
} {
  const cooked = ANALYSIS_SECTIONS.map((key) => ({
    key,
    title: ANALYSIS_SECTION_TITLES[key],
    cooked: cookMarkdown(sections[key]),
  }));
  return {
    sections: cooked,
    cooked: cooked
      .map((s) => `<section class="analysis-section" data-section="${s.key}"><h2>${s.title}</h2>${s.cooked}</section>`)
      .join(''),
  };
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' };

/** Plain text of some markdown, for excerpts (drafts list, notifications). */
export function excerptOf(source: string, max = 160): string {
  // sanitize-html escapes the text it keeps; the excerpt is plain text, so decode that again.
  const text = sanitizeHtml(renderMarkdown(source), { allowedTags: [], allowedAttributes: {} })
    .replace(/&(lt|gt|quot|#39|amp);/g, (_, name: string) => ENTITIES[name]!)
    .replace(/\s+/g, ' ')
    .trim();
  return [...text].length > max ? `${[...text].slice(0, max - 1).join('')}…` : text;
}
