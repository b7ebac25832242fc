/**
 * The messages each interface language may leave exactly as in English: acronyms, proper names and
 * format examples (search syntax such as `jurisdiction:KE`), and words the glossary
 * (docs/glossary.md) spells the same in that language. Anything else equal to English is an
 * untranslated string, which web/src/i18n-locales.test.ts reports. Messages with no words of their
 * own (only placeholders and punctuation, such as `{name}, {date}`) need no entry.
 */
export const IDENTICAL_TO_ENGLISH: Record<string, readonly string[]> = {
  fr: [
    // Proper name.
    'app_name',
    // Search syntax and examples: the operators are the same in every language.
    'search_tip_phrase',
    'search_tip_prefix',
    'search_tip_author',
    'search_tip_jurisdiction',
    'search_tip_topic',
    'search_tip_instrument',
    'search_tip_kind',
    'search_tip_in_title',
    'search_tip_dates',
    'search_tip_status',
    // French words spelt as in English; the glossary fixes discussion, question, mention, version,
    // notification and institution.
    'account_institution',
    // "Comparative" (the mark of a comparative question) is the same adjective in French.
    'thread_mark_comparative',
    'apply_institution',
    'badge_institution',
    'account_profession',
    'apply_profession',
    'badge_profession',
    'queue_filter_profession',
    'members_filter_profession',
    'nav_notifications',
    'notifications_title',
    'notification_kind_mention',
    'thread_kind_discussion',
    'thread_kind_question',
    'search_facet_status',
    'audit_key_version',
    'history_version',
    'mod_revision',
    'mod_revisions',
    'audit_key_sections',
    'admin_title',
    'admin_back',
    'admin_suspend_title',
    'nav_instruments',
    'search_suggestions',
    'region_international',
    'region_europe',
    'md_code',
    'analysis_section_conclusion',
  ],
  es: [
    'app_name',
    // Search syntax and examples.
    'search_tip_prefix',
    'search_tip_jurisdiction',
    'search_tip_topic',
    'search_tip_instrument',
    'search_tip_kind',
    'search_tip_in_title',
    'search_tip_dates',
    'search_tip_status',
    // Spanish words spelt as in English.
    'no',
    'mod_state_visible',
    'history_original',
    'region_asia',
  ],
  ar: [
    'app_name',
    // Search syntax: operators are typed in Latin letters in every language.
    'search_tip_author',
    'search_tip_jurisdiction',
    'search_tip_topic',
    'search_tip_instrument',
    'search_tip_kind',
    'search_tip_in_title',
    'search_tip_dates',
    'search_tip_status',
  ],
};
