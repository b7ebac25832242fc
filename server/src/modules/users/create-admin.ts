import { randomUUID } from 'node:crypto';
import type { Db, UserRow } from '@lexforum/db';
import { checkEmail } from '@lexforum/shared';
import { AppError, assertFields } from '../../lib/errors.js';
import { assertNameStillFree, displayNameShapeProblem, storedName } from '../../lib/names/name-rules.js';
import { checkPasswordPolicy, hashPassword } from '../auth/password.js';
import { findUserByEmail, insertUser } from './users.repository.js';

/** Creates an active admin account: the first one of a production instance comes from here. */
export async function createAdmin(
  db: Db,
  input: { email: string; displayName: string; password: string },
  now: Date = new Date(),
): Promise<UserRow> {
  const { email } = input;
  assertFields({
    email: checkEmail(email),
    displayName: displayNameShapeProblem(input.displayName),
    password: checkPasswordPolicy(input.password, { email, displayName: input.displayName }),
  });
  if (findUserByEmail(db, email)) throw new AppError(409, 'EMAIL_TAKEN', `An account with ${email} already exists.`);
  const name = storedName(input.displayName);
  assertNameStillFree(db, name, null);
  const passwordHash = await hashPassword(input.password);
  return insertUser(db, {
    id: randomUUID(),
    email,
    displayName: name.displayName,
    passwordHash,
    role: 'admin',
    status: 'active',
    // The operator who runs the command vouches for the address.
    emailVerifiedAt: now,
    createdAt: now,
    updatedAt: now,
  });
}
