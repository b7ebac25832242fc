/**
 * Factories for thread tests: a valid thread of each kind and replies, through the real API.
 * Each throws with the response body when the server refuses, so a broken factory never hides
 * behind a later, unrelated assertion.
 */
import type { CreateThreadBody, Post, ThreadKind, ThreadWithPosts } from '@lexforum/shared';
import type { TestApp } from './app.js';
import type { Actor } from './vetting.js';

export const VALID_SECTIONS = {
  questionPresented: 'Does the Medicrime Convention reach online sales of falsified medicines?',
  relevantFacts: 'A website based abroad ships falsified insulin pens to buyers in France.',
  applicableLaw: 'Articles 5 to 8 of the Medicrime Convention; articles L5421-2 ff. of the Public Health Code.',
  analysis: 'Article 7 covers *offering* and **supplying**, including by means of the internet.',
  conclusion: 'Yes: the offer online is itself an offence under article 7.',
} as const;

export const VALID_BODIES: Record<Exclude<ThreadKind, 'legal_analysis'>, string> = {
  discussion: 'How do your courts treat **falsified** medicines sold through social media?',
  question: 'Is a test purchase by an investigator admissible evidence in your jurisdiction?',
  case_note: 'Cour de cassation, chambre criminelle: the sale of falsified medicines online was upheld.',
};

let seq = 0;

/** A valid request body for a thread of `kind` (a legal analysis with five sections and its statement). */
export function threadBody(kind: ThreadKind = 'discussion', overrides: Partial<CreateThreadBody> = {}) {
  seq++;
  const base = {
    kind,
    title: `Falsified medicines online, thread ${seq}`,
    jurisdictions: ['FR'],
    topics: ['medical-products'],
    citations: [{ instrument: 'medicrime', provision: 'art. 7' }],
  };
  const content =
    kind === 'legal_analysis'
      ? { sections: { ...VALID_SECTIONS }, analysis: { lawAsOf: '2026-01-01', personalCapacity: true as const } }
      : { body: VALID_BODIES[kind] };
  return { ...base, ...content, ...overrides } as CreateThreadBody;
}

/** Starts a thread as `actor`; returns the thread page the server answered with. */
export async function startThread(
  t: TestApp,
  actor: Actor,
  overrides: Partial<CreateThreadBody> = {},
): Promise<ThreadWithPosts> {
  const body = threadBody(overrides.kind ?? 'discussion', overrides);
  const res = await t.request({ method: 'POST', url: '/api/threads', cookie: actor.cookie, body });
  if (res.statusCode !== 201) throw new Error(`POST /api/threads: ${res.statusCode} ${res.body}`);
  return res.json() as ThreadWithPosts;
}

/** Replies in `threadId`, to `parentId` (the opening post when absent); returns the new post. */
export async function replyTo(
  t: TestApp,
  actor: Actor,
  threadId: string,
  parentId?: string | null,
  body = `A reply, number ${++seq}.`,
): Promise<Post> {
  const res = await t.request({
    method: 'POST',
    url: `/api/threads/${threadId}/posts`,
    cookie: actor.cookie,
    body: { body, ...(parentId !== undefined ? { parentId } : {}) },
  });
  if (res.statusCode !== 201) throw new Error(`POST /api/threads/${threadId}/posts: ${res.statusCode} ${res.body}`);
  return (res.json() as { post: Post }).post;
}
