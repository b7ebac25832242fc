/**
 * Checking what a member writes before it is stored: tags against the reference lists, the
 * analysis's date, the text rules and sizes (cheap, so a refusal costs no cooking), then the
 * cooking itself and the HTML it makes. Refusals are collected and thrown as one 400.
 */
import type { Db, PostAnswerMeta, ThreadRow } from '@lexforum/db';
import {
  ANALYSIS_SECTIONS,
  ANALYSIS_SECTION_TITLES,
  checkPostText,
  COMPARATIVE_RULES,
  EARLIEST_LAW_AS_OF,
  hasVisibleText,
  MODERATION_RULES,
  POST_RULES,
  type AnalysisMeta,
  type AnswerFactsInput,
  type AnalysisSectionKey,
  type AnalysisSectionsInput,
  type CitationInput,
  type FieldIssue,
  type Issue,
} from '@lexforum/shared';
import { mentionCandidates } from '@lexforum/shared/markdown';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { ReferenceRepository } from '../reference/reference.repository.js';
import type { CookPool } from './cook-pool.js';
import * as repo from './threads.repository.js';

/** Cooked HTML per body or section: linkified text can grow a lot; past this it is refused. */
export const MAX_COOKED_CHARS = 200_000;

export type ContentText =
  { body: string; sections: null } | { body: null; sections: Record<AnalysisSectionKey, string> };
/** An edit's or post's text, checked and cooked. */
export type CheckedContent = ContentText & { cooked: string; mentioned: Set<string>; excerpt: string };

export class Issues {
  readonly list: FieldIssue[] = [];
  add(path: string, problem: Issue | string | null): void {
    if (problem) this.list.push(typeof problem === 'string' ? { path, message: problem } : { path, ...problem });
  }
  throwIfAny(): void {
    if (this.list.length === 0) return;
    throw new AppError(
      400,
      'VALIDATION_FAILED',
      this.list.length === 1 ? this.list[0]!.message : 'Some fields need attention.',
      { issues: this.list },
    );
  }
}

export function parseCalendarDate(value: string): Date | null {
  const date = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value ? null : date;
}

export class ContentChecks {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly reference: ReferenceRepository,
    private readonly cookPool: CookPool,
  ) {}

  checkTags(issues: Issues, tags: repo.ThreadTags): void {
    const topics = new Set(this.reference.listTopics().map((t) => t.slug));
    const instruments = new Set(this.reference.listInstruments().map((i) => i.slug));
    const unique = (path: string, values: string[], what: string) => {
      if (new Set(values).size !== values.length) issues.add(path, `Each ${what} can be chosen once.`);
    };
    tags.jurisdictions.forEach((code, i) => {
      if (this.reference.jurisdictionName(code) === null)
        issues.add(`/jurisdictions/${i}`, `Unknown jurisdiction: ${code}.`);
    });
    unique('/jurisdictions', tags.jurisdictions, 'jurisdiction');
    tags.topics.forEach((slug, i) => {
      if (!topics.has(slug)) issues.add(`/topics/${i}`, `Unknown topic: ${slug}.`);
    });
    unique('/topics', tags.topics, 'topic');
    tags.citations.forEach((c: CitationInput, i) => {
      if (!instruments.has(c.instrument))
        issues.add(`/citations/${i}/instrument`, `Unknown instrument: ${c.instrument}.`);
      if (c.provision !== null)
        issues.add(`/citations/${i}/provision`, checkPostText(c.provision, POST_RULES.provision));
    });
    unique(
      '/citations',
      tags.citations.map((c) => `${c.instrument}\u0000${c.provision ?? ''}`),
      'citation',
    );
  }

  checkAnalysisMeta(issues: Issues, meta: AnalysisMeta): void {
    const date = parseCalendarDate(meta.lawAsOf);
    if (!date || meta.lawAsOf < EARLIEST_LAW_AS_OF) {
      issues.add('/analysis/lawAsOf', 'Give the date the law is stated as at (YYYY-MM-DD, from 1900).');
    } else if (date.getTime() > this.clock.now().getTime()) {
      issues.add('/analysis/lawAsOf', 'The law cannot be stated as at a future date.');
    }
  }

  /** A comparative question: only a question, and at least two jurisdictions asked. */
  checkComparative(issues: Issues, body: { kind: ThreadRow['kind']; comparative?: boolean; jurisdictions: string[] }) {
    if (!body.comparative) return;
    if (body.kind !== 'question') {
      issues.add('/comparative', 'Only a question can be asked of several jurisdictions.');
    } else if (body.jurisdictions.length < COMPARATIVE_RULES.minJurisdictions) {
      issues.add(
        '/jurisdictions',
        `A comparative question is asked of at least ${COMPARATIVE_RULES.minJurisdictions} jurisdictions.`,
      );
    }
  }

  /**
   * What a reply to a comparative question states: only in such a question, for a jurisdiction it
   * asks, with its provisions and date checked. Returns the facts as stored (trimmed, no empty
   * provision), or null when the reply states none.
   */
  checkAnswerFacts(
    issues: Issues,
    thread: Pick<ThreadRow, 'kind' | 'comparative' | 'jurisdictions'>,
    answer: AnswerFactsInput | null | undefined,
  ): (PostAnswerMeta & { jurisdiction: string }) | null {
    if (!answer) return null;
    if (thread.kind !== 'question' || !thread.comparative) {
      issues.add('/answer', 'Only a reply to a comparative question states the jurisdiction it answers for.');
      return null;
    }
    if (!thread.jurisdictions.includes(answer.jurisdiction)) {
      issues.add('/answer/jurisdiction', 'Choose one of the jurisdictions this question is asked of.');
    }
    const provisions: string[] = [];
    answer.provisions.forEach((provision, i) => {
      const trimmed = provision.trim();
      if (trimmed === '') return;
      const problem = checkPostText(trimmed, POST_RULES.answerProvision);
      if (problem) issues.add(`/answer/provisions/${i}`, problem);
      else if (!provisions.includes(trimmed)) provisions.push(trimmed);
    });
    if (answer.lawAsOf !== null) {
      const date = parseCalendarDate(answer.lawAsOf);
      if (!date || answer.lawAsOf < EARLIEST_LAW_AS_OF) {
        issues.add('/answer/lawAsOf', 'Give the date the law is stated as at (YYYY-MM-DD, from 1900).');
      } else if (date.getTime() > this.clock.now().getTime()) {
        issues.add('/answer/lawAsOf', 'The law cannot be stated as at a future date.');
      }
    }
    const shortAnswer = answer.shortAnswer?.trim() || null;
    if (shortAnswer !== null) issues.add('/answer/shortAnswer', checkPostText(shortAnswer, POST_RULES.shortAnswer));
    return { jurisdiction: answer.jurisdiction, provisions, lawAsOf: answer.lawAsOf, shortAnswer };
  }

  /**
   * The body (or, for a legal analysis's opening post, the sections), checked against the text
   * rules and sizes: cheap, so a refusal costs no cooking. Null when there is nothing to cook.
   */
  checkContentText(
    issues: Issues,
    kind: ThreadRow['kind'],
    input: { body?: string; sections?: AnalysisSectionsInput },
    opening: boolean,
  ): ContentText | null {
    if (kind === 'legal_analysis' && opening) {
      if (input.body !== undefined) issues.add('/body', 'A legal analysis is written in its sections, not one body.');
      if (!input.sections) {
        issues.add('/sections', 'A legal analysis needs its five sections.');
        return null;
      }
      for (const key of ANALYSIS_SECTIONS) {
        issues.add(
          `/sections/${key}`,
          checkPostText(input.sections[key], POST_RULES.section, ANALYSIS_SECTION_TITLES[key]),
        );
      }
      return { body: null, sections: { ...input.sections } };
    }
    if (input.sections !== undefined) issues.add('/sections', 'Only a legal analysis has sections.');
    if (input.body === undefined) {
      issues.add('/body', 'Write the post.');
      return null;
    }
    issues.add('/body', checkPostText(input.body, opening ? POST_RULES.openingBody : POST_RULES.body));
    return { body: input.body, sections: null };
  }

  /**
   * Cooks checked content (in the worker pool when long) with the excerpt its notifications
   * carry, and checks the HTML it makes. Call it only once `checkContentText` found no issue.
   */
  async cookContent(issues: Issues, text: ContentText): Promise<CheckedContent> {
    const texts = text.sections ? Object.values(text.sections) : [text.body];
    const names = [...new Set(texts.flatMap((t) => mentionCandidates(t)))];
    const result = await this.cookPool.cook({
      ...(text.sections ? { sections: text.sections } : { markdown: text.body }),
      mentionable: repo.mentionableUsers(this.db, names),
      withExcerpt: true,
    });
    if (result.sections) {
      for (const section of result.sections) checkCooked(issues, `/sections/${section.key}`, section.cooked);
    } else {
      checkCooked(issues, '/body', result.cooked);
    }
    return { ...text, cooked: result.cooked, mentioned: new Set(result.mentioned), excerpt: result.excerpt ?? '' };
  }
  /** Cooks text already checked, throwing what the cooked HTML breaks. */
  async cook(text: ContentText): Promise<CheckedContent> {
    const issues = new Issues();
    const content = await this.cookContent(issues, text);
    issues.throwIfAny();
    return content;
  }
}

/** An author's edit note is optional and short; a moderator's reason says enough to act on. */
export function reasonRule(asModerator: boolean) {
  return asModerator
    ? { ...POST_RULES.editReason, label: 'Reason', min: MODERATION_RULES.reason.min }
    : POST_RULES.editReason;
}

/** Refuses cooked HTML that shows nothing (a post of link definitions, `&nbsp;`) or is huge. */
function checkCooked(issues: Issues, path: string, cooked: string): void {
  if (cooked.length > MAX_COOKED_CHARS) {
    issues.add(path, 'This text is too long once formatted (it has a great many links). Shorten it.');
    return;
  }
  const text = cooked
    .replace(/<[^>]*>/g, '')
    .replace(/&(nbsp|#160|#xa0);/gi, ' ')
    .replace(/&[a-z0-9#]+;/gi, 'x');
  if (!hasVisibleText(text)) issues.add(path, 'Write something that shows: this text would display as empty.');
}
