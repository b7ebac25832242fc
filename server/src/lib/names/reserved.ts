/**
 * Names reserved for the forum's own voice, and role words no member may wear in a name: roles are
 * shown by a badge the forum draws beside the name, so "Camille (Moderator)" would only mislead.
 * Compared on skeletons, so "Аdmin" with a Cyrillic "А" or "M0DERATOR" is caught too.
 */
import { issue, type Issue } from '@lexforum/shared';
import { nameSkeleton } from './skeleton.js';

/** Words that claim a role or speak for the forum, refused anywhere in a name as a word. */
const ROLE_WORDS = [
  'admin',
  'admins',
  'administrator',
  'administrators',
  'moderator',
  'moderators',
  'mod',
  'mods',
  'staff',
  'sysop',
  'lexforum',
  'official',
  'interpol',
];

/** Whole names reserved (as the entire name, with or without spaces between its words). */
const RESERVED_NAMES = [
  ...ROLE_WORDS,
  'support',
  'system',
  'root',
  'security',
  'help',
  'helpdesk',
  'team',
  'lexforum team',
  'lexforum support',
  'forum',
  'notifications',
  'noreply',
  'no reply',
  'anonymous',
  'deleted account',
  'another moderator',
];

const roleWordSkeletons = new Set(ROLE_WORDS.map(nameSkeleton));
const reservedSkeletons = new Set(RESERVED_NAMES.flatMap((n) => [nameSkeleton(n), nameSkeleton(n.replace(/ /g, ''))]));

/** The words of a skeleton: split on anything that is neither letter, mark nor digit. */
function words(skeleton: string): string[] {
  return skeleton.split(/[^\p{L}\p{M}\p{N}]+/u).filter((w) => w.length > 0);
}

/**
 * Why a name (a display name or a username) may not be used, or null. `usernameBase` is the
 * username a display name would generate (db/src/usernames.ts strips accents to ASCII, so
 * "Ädmin" becomes `admin`): it is checked too.
 */
export function checkReservedName(name: string): Issue | null {
  const parts = words(nameSkeleton(name));
  if (reservedSkeletons.has(parts.join(' ')) || reservedSkeletons.has(parts.join(''))) {
    return issue('name_reserved', 'This name is reserved for the forum’s own accounts. Choose your own name.');
  }
  if (parts.some((w) => roleWordSkeletons.has(w))) {
    return issue(
      'name_role_word',
      'A name must not include a role such as “Moderator” or “Admin”: the forum shows roles with a badge beside the name.',
    );
  }
  return null;
}
