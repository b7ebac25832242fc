/**
 * One demo conversation, so the messages screen is not empty on first start: Camille (FR) and
 * Johan (SE) compare notes on a customs case, the last message unread for Camille. Runs inside
 * the demo seed's transaction, after the threads (the cooking is the server's, passed in).
 */
import { randomUUID } from 'node:crypto';
import type { DbOrTx } from '../client.js';
import { conversationParticipants, conversations, directMessages } from '../schema.js';
import type { DemoCook } from './demo-threads.js';

const HOUR = 3_600_000;

const MESSAGES: readonly { by: 'camille' | 'johan'; hoursAgo: number; body: string }[] = [
  {
    by: 'johan',
    hoursAgo: 30,
    body: 'Camille, your post on the **fuel seizure** was useful. Did the court accept the customs valuation, or did it ask for an expert?',
  },
  {
    by: 'camille',
    hoursAgo: 28,
    body: 'It accepted it: the valuation followed the method of Article 70 of the Union Customs Code. I can send you the reference of the judgment once it is published.',
  },
  {
    by: 'johan',
    hoursAgo: 3,
    body: 'Thank you. We have a similar file in Malmö; I will write up what we learn in the forum.',
  },
];

export function insertDemoConversations(
  tx: DbOrTx,
  { idOf, cook, now }: { idOf: (email: string) => string; cook: DemoCook; now: Date },
): void {
  const who = { camille: idOf('camille@lexforum.test'), johan: idOf('johan@lexforum.test') };
  const at = (hoursAgo: number) => new Date(now.getTime() - hoursAgo * HOUR);
  const id = randomUUID();
  const first = MESSAGES[0]!;
  const last = MESSAGES[MESSAGES.length - 1]!;
  tx.insert(conversations)
    .values({
      id,
      createdById: who[first.by],
      lastSeq: MESSAGES.length,
      lastMessageAt: at(last.hoursAgo),
      createdAt: at(first.hoursAgo),
    })
    .run();
  tx.insert(directMessages)
    .values(
      MESSAGES.map((m, i) => ({
        id: randomUUID(),
        conversationId: id,
        seq: i + 1,
        authorId: who[m.by],
        markdown: m.body,
        html: cook.markdown(m.body),
        excerpt: cook.excerpt(m.body),
        createdAt: at(m.hoursAgo),
      })),
    )
    .run();
  tx.insert(conversationParticipants)
    .values([
      // Camille has read up to her own reply; Johan's last message waits for her.
      { conversationId: id, userId: who.camille, joinedAt: at(first.hoursAgo), lastReadSeq: 2 },
      { conversationId: id, userId: who.johan, joinedAt: at(first.hoursAgo), lastReadSeq: MESSAGES.length },
    ])
    .run();
}
