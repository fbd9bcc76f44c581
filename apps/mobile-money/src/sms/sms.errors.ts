import { ProviderError } from '../common/provider-error';

/**
 * A reference already used for another number or text: the cash-in's code (same reference,
 * different body), without the original SMS, which went elsewhere and must never be taken by a
 * caller for its own message.
 */
function referenceConflictBody(): { code: 'RESOURCE_ALREADY_EXIST'; message: string } {
  return {
    code: 'RESOURCE_ALREADY_EXIST',
    message: 'an SMS with this reference was already sent to another number or with another text; nothing was sent',
  };
}

export const SmsErrors = {
  referenceConflictBody,
  referenceConflict: () => new ProviderError(409, referenceConflictBody()),
};
