/**
 * What a refused message says, in the reader's language: MESSAGING_NOT_ALLOWED comes with the
 * reason (a block, the member's choice, an account that cannot receive), worded here; any other
 * refusal is the API client's own message.
 */
import type { ApiError } from '../../lib/api.js';
import { m } from '../../lib/i18n.js';

const REASONS: Record<string, () => string> = {
  blocked: m.messaging_refused_blocked,
  nobody: m.messaging_refused_nobody,
  jurisdictions: m.messaging_refused_jurisdictions,
  unavailable: m.messaging_refused_unavailable,
};

export function refusalText(error: ApiError): string {
  const worded = error.code === 'MESSAGING_NOT_ALLOWED' && error.reason ? REASONS[error.reason] : undefined;
  return worded ? worded() : error.message;
}
