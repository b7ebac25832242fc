/** What a filter in force reads as on the search page ("Kenya", "after 1 January 2024", "Titles only"). */
import type { FacetValue, SearchFacets, ThreadKind } from '@lexforum/shared';
import { formatDate, m } from '../../lib/i18n.js';
import { threadKindLabel } from '../../lib/labels.js';
import { reference } from '../../lib/reference.svelte.js';
import type { ActiveFilter } from '../../lib/search.js';

const facetLabel = (values: FacetValue[] | undefined, value: string) =>
  values?.find((v) => v.value.toLowerCase() === value.toLowerCase())?.label;

export function filterLabel(filter: ActiveFilter, facets: SearchFacets | undefined): string {
  const { key, value } = filter;
  switch (key) {
    case 'jurisdiction':
      return reference.jurisdictionName(value, facetLabel(facets?.jurisdictions, value));
    case 'topic':
      return reference.topicName(value, facetLabel(facets?.topics, value));
    case 'instrument':
      return reference.instrumentShortName(value, facetLabel(facets?.instruments, value));
    case 'kind':
      return threadKindLabel(value as ThreadKind);
    case 'author':
      return m.search_filter_by({ name: facetLabel(facets?.authors, value) ?? `@${value.replace(/^@/, '')}` });
    case 'after':
      return m.search_filter_after({ date: formatDate(value) });
    case 'before':
      return m.search_filter_before({ date: formatDate(value) });
    case 'status':
      return value === 'resolved'
        ? m.search_status_resolved()
        : value === 'answered'
          ? m.search_status_answered()
          : value === 'unanswered'
            ? m.search_status_unanswered()
            : m.search_status_open();
    case 'in':
      return m.search_filter_in_title();
    case 'thread':
      return m.search_filter_thread();
  }
}
