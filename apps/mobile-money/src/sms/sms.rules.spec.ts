import { isRetryOf } from './sms.rules';

describe('SMS idempotency', () => {
  const original = { to: '+22376123456', message: 'Votre bourse a été versée.' };

  it('takes the same number and text as a retry', () => {
    expect(isRetryOf(original, { ...original })).toBe(true);
  });

  it('takes another number or another text as another SMS', () => {
    expect(isRetryOf(original, { ...original, to: '+22376123457' })).toBe(false);
    expect(isRetryOf(original, { ...original, message: 'Votre bourse a été versée' })).toBe(false);
    expect(isRetryOf(original, { ...original, message: 'votre bourse a été versée.' })).toBe(false);
  });
});
