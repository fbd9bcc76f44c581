/**
 * How many items a bulk request's body carries, for the rate limit, which counts items rather
 * than requests. 1 when the field is not a non-empty list (validation then refuses the body).
 */
export function bulkItemCount(body: unknown, field: string): number {
  const items = (body as Record<string, unknown> | null | undefined)?.[field];
  return Array.isArray(items) && items.length > 0 ? items.length : 1;
}
