/** A post's redactions as its history shows them: kind, versions, by whom and when; never the text. */
import type { DbOrTx, RedactionRow } from '@lexforum/db';
import type { RedactionMark } from '@lexforum/shared';
import { listRedactions } from './redaction.repository.js';

/** `privileged` (the post's author, a moderator in scope) also sees the reason. */
export function markOf(row: RedactionRow, privileged: boolean): RedactionMark {
  return {
    id: row.id,
    kind: row.kind,
    versions: row.versions,
    byModerator: row.byModerator,
    reason: privileged ? row.reason : null,
    createdAt: row.createdAt.toISOString(),
  };
}

export function redactionMarks(db: DbOrTx, postId: string, privileged: boolean): RedactionMark[] {
  return listRedactions(db, postId).map((row) => markOf(row, privileged));
}
