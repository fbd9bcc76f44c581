import { ProviderError } from '../common/provider-error';
import type { TransactionView } from './transaction.presenter';
import { isUuid } from '@scholarpay/platform';

export const CashinErrors = {
  /** `field`: the X-Reference-Id header of POST /cashins, or the `referenceId` path parameter of the status query. */
  invalidReferenceId: (problem: string, field: 'X-Reference-Id' | 'referenceId' = 'X-Reference-Id') =>
    new ProviderError(400, {
      code: 'INVALID_REFERENCE_ID',
      message: `${field} ${problem}`,
      errors: [{ field, problem }],
    }),
  invalidCallbackUrl: (problem: string) =>
    ProviderError.invalidRequest(`X-Callback-Url ${problem}`, [{ field: 'X-Callback-Url', problem }]),
  alreadyExists: (transaction: TransactionView, samePayload: boolean) =>
    new ProviderError(409, {
      code: 'RESOURCE_ALREADY_EXIST',
      message: samePayload
        ? 'a cash-in with this X-Reference-Id already exists; it was not paid again'
        : 'a cash-in with this X-Reference-Id already exists with a different body; nothing was paid',
      transaction,
    }),
  notFound: () => ProviderError.notFound('no cash-in has this X-Reference-Id'),
};


/** The X-Reference-Id header as a lower-case UUID, or the problem with it. */
export function parseReferenceId(
  header: unknown,
): { ok: true; value: string } | { ok: false; problem: string } {
  if (typeof header !== 'string' || header.trim() === '') return { ok: false, problem: 'is required' };
  if (!isUuid(header.trim())) return { ok: false, problem: 'must be a UUID' };
  return { ok: true, value: header.trim().toLowerCase() };
}

/** X-Callback-Url: an absolute http(s) URL of at most 2048 characters, or absent. */
export function parseCallbackUrl(
  header: unknown,
): { ok: true; value: string | null } | { ok: false; problem: string } {
  if (header === undefined) return { ok: true, value: null };
  if (typeof header !== 'string' || header.trim() === '')
    return { ok: false, problem: 'must be an absolute http(s) URL' };
  if (header.length > 2048) return { ok: false, problem: 'must be at most 2048 characters' };
  try {
    const url = new URL(header.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      return { ok: false, problem: 'must be an http or https URL' };
    if (url.username || url.password) return { ok: false, problem: 'must not carry credentials' };
    return { ok: true, value: url.toString() };
  } catch {
    return { ok: false, problem: 'must be an absolute http(s) URL' };
  }
}
