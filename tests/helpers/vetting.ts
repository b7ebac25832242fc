/**
 * Factories for vetting tests: applicants with applications in a given state (through the real
 * API), moderators with jurisdictions, admins. Each returns the user row and a session cookie.
 */
import { moderatorJurisdictions, type UserRow } from '@lexforum/db';
import type { ApplicationDraftBody } from '@lexforum/shared';
import type { TestApp } from './app.js';

export interface Actor {
  user: UserRow;
  cookie: string;
}

export const COMPLETE_APPLICATION = {
  profession: 'prosecutor',
  position: 'Senior State Counsel',
  institution: 'Office of the Director of Public Prosecutions',
  jurisdictionCode: 'KE',
  otherJurisdictions: ['UG', 'TZ'],
  languages: ['en', 'sw'],
  professionalEmail: null,
  expertise: 'Prosecution of counterfeit medicines and wildlife trafficking cases for eight years.',
  reason: 'To compare approaches with prosecutors in neighbouring countries.',
  referee: null,
} satisfies ApplicationDraftBody;

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

export async function signedIn(t: TestApp, overrides: Partial<UserRow> = {}): Promise<Actor> {
  // A domain of its own per account, so that "same email domain" matches only when a test means it.
  const user = await t.createUser({ email: `user@${unique()}.court.example`, ...overrides });
  return { user, cookie: await t.loginAs(user) };
}

export async function moderator(t: TestApp, jurisdictions: string[], overrides: Partial<UserRow> = {}) {
  const actor = await signedIn(t, {
    role: 'moderator',
    displayName: 'Moderator',
    verifiedAt: t.clock.now(),
    profession: 'judge',
    position: 'Judge',
    institution: 'High Court',
    jurisdictionCode: jurisdictions[0] ?? 'FR',
    ...overrides,
  });
  if (jurisdictions.length > 0) {
    t.handle.db
      .insert(moderatorJurisdictions)
      .values(jurisdictions.map((jurisdictionCode) => ({ userId: actor.user.id, jurisdictionCode })))
      .run();
  }
  return actor;
}

export async function admin(t: TestApp, overrides: Partial<UserRow> = {}) {
  return signedIn(t, { role: 'admin', displayName: 'Admin', ...overrides });
}

export async function member(t: TestApp, overrides: Partial<UserRow> = {}) {
  return signedIn(t, {
    role: 'member',
    displayName: 'Member',
    verifiedAt: t.clock.now(),
    profession: 'prosecutor',
    position: 'Prosecutor',
    institution: 'Parquet',
    jurisdictionCode: 'FR',
    languages: ['fr', 'en'],
    ...overrides,
  });
}

type Stage = 'none' | 'draft' | 'submitted' | 'info_requested' | 'rejected' | 'withdrawn';

/**
 * An applicant whose application has reached `stage`. Stages past `submitted` need a reviewer:
 * pass one covering the application's jurisdiction.
 */
export async function applicant(
  t: TestApp,
  stage: Stage = 'submitted',
  options: { application?: Partial<ApplicationDraftBody>; reviewer?: Actor; displayName?: string } = {},
): Promise<Actor & { applicationId: string | null }> {
  const actor = await signedIn(t, { role: 'applicant', displayName: options.displayName ?? 'Applicant' });
  if (stage === 'none') return { ...actor, applicationId: null };
  const call = async (method: 'PUT' | 'POST', url: string, body?: unknown, cookie = actor.cookie) => {
    const res = await t.request({ method, url, body, cookie });
    if (res.statusCode !== 200) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  const saved = await call('PUT', '/api/application', { ...COMPLETE_APPLICATION, ...options.application });
  const id: string = saved.application.id;
  if (stage === 'draft') return { ...actor, applicationId: id };
  await call('POST', '/api/application/submit');
  if (stage === 'submitted') return { ...actor, applicationId: id };
  if (stage === 'withdrawn') {
    await call('POST', '/api/application/withdraw');
    return { ...actor, applicationId: id };
  }
  if (!options.reviewer) throw new Error(`stage ${stage} needs a reviewer`);
  if (stage === 'info_requested') {
    await call(
      'POST',
      `/api/vetting/applications/${id}/request-info`,
      { question: 'Which court?' },
      options.reviewer.cookie,
    );
  } else {
    await call(
      'POST',
      `/api/vetting/applications/${id}/reject`,
      { reason: 'Not a criminal-justice role.' },
      options.reviewer.cookie,
    );
  }
  return { ...actor, applicationId: id };
}
