/**
 * Citations of one version of a post, for briefs and reference managers: CSL-JSON (Zotero, Mendeley,
 * Pandoc and every CSL processor read it) and BibTeX. The sentences in the reader's language (plain
 * and legal style) are made by the Cite dialog from the same facts with its messages.
 */

/** What a citation names. */
export interface CitationFacts {
  postId: string;
  authorName: string;
  /** From the verified badge, when the author has one. */
  position: string | null;
  jurisdiction: string | null;
  /** The thread's title at this version. */
  threadTitle: string;
  /** The post's number in the thread: 1 is the thread's opening post. */
  number: number;
  /** "LexForum legal analysis" and the like, in the reader's language. */
  genre: string;
  version: number;
  /** When this version was written (ISO). */
  versionDate: string;
  /** The version's permanent address. */
  url: string;
  accessed: Date;
}

/** Dates as the reader's calendar has them, as the citation sentences show them. */
const dateParts = (date: Date): [number, number, number] => [date.getFullYear(), date.getMonth() + 1, date.getDate()];

const isoDay = (date: Date) =>
  `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;

/** A stable key for this version: `lexforum-<first 8 of the post id>-v<version>`. */
export function citationKey(f: CitationFacts): string {
  return `lexforum-${f.postId.replace(/[^A-Za-z0-9]/g, '').slice(0, 8)}-v${f.version}`;
}

/** One CSL-JSON item (CSL 1.0.2, type `post`: a post on an online forum). */
export function cslJson(f: CitationFacts): string {
  const item = {
    id: citationKey(f),
    type: 'post',
    title: f.number === 1 ? f.threadTitle : `#${f.number}: ${f.threadTitle}`,
    'container-title': 'LexForum',
    genre: f.genre,
    author: [{ literal: f.authorName }],
    issued: { 'date-parts': [dateParts(new Date(f.versionDate))] },
    accessed: { 'date-parts': [dateParts(f.accessed)] },
    version: String(f.version),
    URL: f.url,
    ...(f.position || f.jurisdiction ? { note: [f.position, f.jurisdiction].filter(Boolean).join(', ') } : {}),
  };
  return `${JSON.stringify([item], null, 2)}\n`;
}

/** BibTeX's special characters escaped (the value itself goes in double braces: kept as written). */
export function bibtexText(text: string): string {
  const escapes: Record<string, string> = {
    '\\': '\\textbackslash{}',
    // BibTeX counts an escaped brace as a brace: these keep the entry balanced.
    '{': '\\textbraceleft{}',
    '}': '\\textbraceright{}',
    '~': '\\textasciitilde{}',
    '^': '\\textasciicircum{}',
  };
  // One pass, so what one escape adds is never escaped again.
  return text.replace(
    /[\\{}%&$#_~^]|[\r\n]+/g,
    (c) => escapes[c] ?? (c.startsWith('\r') || c.startsWith('\n') ? ' ' : `\\${c}`),
  );
}

/** One BibTeX `@misc` entry (biblatex reads `urldate` and `version` too). */
export function bibtex(f: CitationFacts): string {
  const issued = new Date(f.versionDate);
  const fields: [string, string][] = [
    // Double braces: the name is one literal (no "and" or comma splitting), the title keeps its case.
    ['author', `{{${bibtexText(f.authorName)}}}`],
    ['title', `{{${bibtexText(f.number === 1 ? f.threadTitle : `#${f.number}: ${f.threadTitle}`)}}}`],
    ['howpublished', `{${bibtexText(f.genre)}}`],
    ['year', `{${issued.getFullYear()}}`],
    ['month', `{${issued.getMonth() + 1}}`],
    ['version', `{${f.version}}`],
    ['url', `{${f.url}}`],
    ['urldate', `{${isoDay(f.accessed)}}`],
  ];
  if (f.position || f.jurisdiction) {
    fields.push(['note', `{${bibtexText([f.position, f.jurisdiction].filter(Boolean).join(', '))}}`]);
  }
  return `@misc{${citationKey(f)},\n${fields.map(([k, v]) => `  ${k} = ${v}`).join(',\n')}\n}\n`;
}
