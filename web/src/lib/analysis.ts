/**
 * The headings of a legal analysis's sections, in the reader's language. The API sends sections
 * by key; the cooked HTML of a whole analysis (held submissions, revisions) wraps each section in
 * `<section class="analysis-section" data-section="key"><h2>…</h2>`, whose heading the server
 * writes in English: `localizeSectionHeadings` rewrites it from the key before the HTML is shown.
 */
import { ANALYSIS_SECTION_TITLES, ANALYSIS_SECTIONS, type AnalysisSectionKey } from '@lexforum/shared';
import { m } from './i18n.js';

const TITLES: Record<AnalysisSectionKey, () => string> = {
  questionPresented: m.analysis_section_questionPresented,
  relevantFacts: m.analysis_section_relevantFacts,
  applicableLaw: m.analysis_section_applicableLaw,
  analysis: m.analysis_section_analysis,
  conclusion: m.analysis_section_conclusion,
};

export const analysisSectionTitle = (key: AnalysisSectionKey): string => TITLES[key]();

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const HEADING = /(<section class="analysis-section" data-section="([A-Za-z]+)"><h2>)[^<]*(<\/h2>)/g;

const BY_ENGLISH_TITLE = new Map(ANALYSIS_SECTIONS.map((key) => [ANALYSIS_SECTION_TITLES[key], key]));

/**
 * A held edit's plain text of an analysis (the server writes each section under its English
 * heading, first line of the text or after a blank line) with the headings in the reader's language.
 */
export function localizeSectionLines(text: string): string {
  const lines = text.split('\n');
  return lines
    .map((line, i) => {
      const key = BY_ENGLISH_TITLE.get(line);
      return key && (i === 0 || lines[i - 1] === '') ? analysisSectionTitle(key) : line;
    })
    .join('\n');
}

/** Server-cooked HTML with each analysis section's heading in the reader's language. */
export function localizeSectionHeadings(html: string): string {
  if (!html.includes('analysis-section')) return html;
  return html.replace(HEADING, (whole, open: string, key: string, close: string) =>
    (ANALYSIS_SECTIONS as readonly string[]).includes(key)
      ? `${open}${escapeHtml(analysisSectionTitle(key as AnalysisSectionKey))}${close}`
      : whole,
  );
}
