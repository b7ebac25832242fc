/**
 * The composer's preview: the forum's one markdown-it configuration, then DOMPurify. The server
 * cooks with the same settings (and its own sanitizer), so the preview shows what will be posted.
 * DOMPurify hands back DOM nodes, which the preview appends: no HTML string is ever injected on
 * the client ({@html} stays reserved for server-cooked posts).
 */
import { renderMarkdown } from '@lexforum/shared/markdown';
import DOMPurify from 'dompurify';

export function previewFragment(source: string): DocumentFragment {
  return DOMPurify.sanitize(renderMarkdown(source), { USE_PROFILES: { html: true }, RETURN_DOM_FRAGMENT: true });
}

/** A Svelte attachment: the element's content becomes the sanitized preview of `source`. */
export function markdownPreview(source: string) {
  return (element: HTMLElement) => {
    element.replaceChildren(previewFragment(source));
  };
}
