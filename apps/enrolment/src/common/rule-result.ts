/** The value of a rule the input has already passed (the DTO ran the same rule); a failure here is a bug. */
export function mustPass<T>(result: { ok: true; value: T } | { ok: false; problem: string }): T {
  if (!result.ok) throw new Error(`validated input failed its rule: ${result.problem}`);
  return result.value;
}
