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
import { dropQuotes } from './quote-blocks.js';

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
  const cooked = ANALYSIS_SECTIONS.map((key) => ({ key, cooked: cookMarkdown(sections[key], mentions) }));
  return {
    sections: cooked,
    // The English heading is a placeholder for readers of the raw HTML: the web client words each
    // heading from `data-section` in the reader's language (localizeSectionHeadings).
    cooked: cooked
      .map(
        (s) =>
          `<section class="analysis-section" data-section="${s.key}"><h2>${ANALYSIS_SECTION_TITLES[s.key]}</h2>${s.cooked}</section>`,
      )
      .join(''),
  };
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' };

/** Plain text of some markdown, for excerpts (drafts list, notifications); quotes of other posts left out. */
export function excerptOf(source: string, max = 160): string {
  return excerptOfHtml(renderMarkdown(source), max);
}

/** The same excerpt from HTML already rendered (cooked), without rendering the markdown again. */
export function excerptOfHtml(html: string, max = 160): string {
  // sanitize-html escapes the text it keeps; the excerpt is plain text, so decode that again.
  const text = sanitizeHtml(dropQuotes(html), { allowedTags: [], allowedAttributes: {} })
    .replace(/&(lt|gt|quot|#39|amp);/g, (_, name: string) => ENTITIES[name]!)
    .replace(/\s+/g, ' ')
    .trim();
  return [...text].length > max ? `${[...text].slice(0, max - 1).join('')}…` : text;
}

/**
 * One unit of cooking, as the worker pool receives it (structured-clone safe): a body or the
 * sections of an analysis, with the mentionable names looked up beforehand (the worker has no
 * database); `withExcerpt` adds the plain-text excerpt of what was cooked (from its HTML, not
 * rendered twice), `excerpt` asks for the excerpt of some other markdown (a draft's).
 */
export interface CookJob {
  markdown?: string;
  sections?: Record<AnalysisSectionKey, string>;
  mentionable?: ReadonlyMap<string, string>;
  withExcerpt?: boolean;
  excerpt?: string;
}

export interface CookResult {
  /** The body's HTML, or the analysis's whole HTML (a heading per section); '' if nothing to cook. */
  cooked: string;
  sections: CookedSection[] | null;
  /** Ids of the members the renderer linked as mentions. */
  mentioned: string[];
  excerpt: string | null;
}

/** Does a job's work; the same code runs inline and in the pool's workers (cook.worker.ts). */
export function runCookJob(job: CookJob): CookResult {
  const env = job.mentionable ? { mentionable: job.mentionable, mentioned: new Set<string>() } : undefined;
  let cooked = '';
  let sections: CookedSection[] | null = null;
  if (job.sections) ({ cooked, sections } = cookSections(job.sections, env));
  else if (job.markdown !== undefined) cooked = cookMarkdown(job.markdown, env);
  return {
    cooked,
    sections,
    mentioned: env ? [...env.mentioned] : [],
    excerpt:
      job.excerpt !== undefined
        ? excerptOf(job.excerpt)
        : job.withExcerpt
          ? excerptOfHtml(sections ? sections.map((s) => s.cooked).join('\n') : cooked)
          : null,
  };
}

/** Characters of source a job cooks: what decides whether it is worth a trip to a worker. */
export function cookJobSize(job: CookJob): number {
  let size = (job.markdown?.length ?? 0) + (job.excerpt?.length ?? 0);
  if (job.sections) for (const text of Object.values(job.sections)) size += text.length;
  return size;
}
