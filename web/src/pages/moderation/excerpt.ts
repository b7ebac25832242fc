/**
 * Plain text from server-cooked HTML, for a one-paragraph excerpt in the queue. DOMParser builds
 * an inert document (no scripts run, nothing loads), and only its text is kept.
 */
export function excerptOf(html: string, max = 240): string {
  const text = (new DOMParser().parseFromString(html, 'text/html').body.textContent ?? '').replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}
