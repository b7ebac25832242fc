import type { UserRow } from '@lexforum/db';
import type { CurrentUser } from '@lexforum/shared';

/** The one place a user row becomes API output: the password hash has no way out. */
export function toCurrentUser(user: UserRow, jurisdictionName: (code: string) => string | null): CurrentUser {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    status: user.status,
    credentials: {
      profession: user.profession,
      position: user.position,
      institution: user.institution,
      jurisdictionCode: user.jurisdictionCode,
      jurisdictionName: user.jurisdictionCode ? jurisdictionName(user.jurisdictionCode) : null,
    },
    createdAt: user.createdAt.toISOString(),
  };
}
