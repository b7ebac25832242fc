/** Whether the member follows a jurisdiction, topic or instrument, from their list of follows. */
import type { FollowList, FollowTarget } from '@lexforum/shared';
import { api } from './api.js';

export async function isFollowing(target: Exclude<FollowTarget, 'thread'>, key: string): Promise<boolean> {
  const list = await api.get<FollowList>('/api/follows');
  const tags = target === 'jurisdiction' ? list.jurisdictions : target === 'topic' ? list.topics : list.instruments;
  return tags.some((tag) => tag.code === key);
}
