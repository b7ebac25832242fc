import { ErrorBody } from '@lexforum/shared';

/** The error envelope for each status a route can fail with, for its response schema. */
export function errorResponses<const S extends readonly number[]>(
  ...statuses: S
): { [K in S[number]]: typeof ErrorBody } {
  const out: Record<number, typeof ErrorBody> = {};
  for (const status of statuses) out[status] = ErrorBody;
  return out as { [K in S[number]]: typeof ErrorBody };
}
