/**
 * The built-in rejection templates (shared's REJECTION_TEMPLATES, by id) in the moderator's
 * language: the label in the picker and the text it starts the reason with. The reason the
 * moderator then sends is their own words, shown to the applicant as written.
 */
import type { REJECTION_TEMPLATES } from '@lexforum/shared';
import { m } from './i18n.js';

type TemplateId = (typeof REJECTION_TEMPLATES)[number]['id'];

const TEMPLATES: Record<TemplateId, { label: () => string; text: () => string }> = {
  not_criminal_justice: {
    label: m.rejection_template_not_criminal_justice_label,
    text: m.rejection_template_not_criminal_justice_text,
  },
  unverifiable: { label: m.rejection_template_unverifiable_label, text: m.rejection_template_unverifiable_text },
  no_answer: { label: m.rejection_template_no_answer_label, text: m.rejection_template_no_answer_text },
  duplicate: { label: m.rejection_template_duplicate_label, text: m.rejection_template_duplicate_text },
};

export const rejectionTemplateLabel = (id: TemplateId): string => TEMPLATES[id].label();
export const rejectionTemplateText = (id: TemplateId): string => TEMPLATES[id].text();
