/** How the messages pages name a conversation's people. */
import type { ConversationSummary, PostAuthor } from '@lexforum/shared';
import { formatList } from '../../lib/i18n.js';

/** The participants other than the reader. */
export function othersIn(conversation: ConversationSummary, meId: string | undefined): PostAuthor[] {
  return conversation.participants.filter((p) => p.id !== meId);
}

/** "Amina Diallo", "Amina Diallo and Otieno Were": the other participants' names. */
export function namesOf(people: readonly PostAuthor[]): string {
  return formatList(people.map((p) => p.displayName));
}
