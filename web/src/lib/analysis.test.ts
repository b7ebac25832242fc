import { describe, expect, it } from 'vitest';
import en from '../../messages/en.json';
import { analysisSectionTitle, localizeSectionHeadings, localizeSectionLines } from './analysis.js';

describe('legal-analysis headings', () => {
  it('come from the message files, by key', () => {
    expect(analysisSectionTitle('applicableLaw')).toBe(en.analysis_section_applicableLaw);
  });

  it('replace the heading the server wrote into cooked HTML, and nothing else', () => {
    const cooked =
      '<section class="analysis-section" data-section="questionPresented"><h2>Question presented</h2><p>Is it?</p></section>' +
      '<section class="analysis-section" data-section="bogus"><h2>Kept</h2><p>x</p></section>' +
      '<h2>Question presented</h2>';
    const out = localizeSectionHeadings(cooked);
    expect(out).toContain(
      `data-section="questionPresented"><h2>${en.analysis_section_questionPresented}</h2><p>Is it?</p>`,
    );
    expect(out).toContain('<h2>Kept</h2>');
    expect(out.endsWith('<h2>Question presented</h2>')).toBe(true);
    expect(localizeSectionHeadings('<p>plain</p>')).toBe('<p>plain</p>');
  });

  it("replace the headings of a held edit's text, not the same words inside a section", () => {
    const text = 'Question presented\nIs it?\n\nConclusion\nYes.\nConclusion\nstill';
    expect(localizeSectionLines(text)).toBe(
      `${en.analysis_section_questionPresented}\nIs it?\n\n${en.analysis_section_conclusion}\nYes.\nConclusion\nstill`,
    );
  });
});
