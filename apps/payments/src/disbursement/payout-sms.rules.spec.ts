import { frenchMonth, payoutSmsMessage, shortReference } from './payout-sms.rules';

describe('payout SMS', () => {
  it('says, in French, the month, the amount in FCFA, the wallet and the reference', () => {
    expect(payoutSmsMessage({ month: '2015-03', amount: 25000, operator: 'orange', lineId: 'ab12cd34-0000-4000-8000-000000000000' })).toBe(
      'ScholarPay: votre bourse de mars 2015 (25 000 FCFA) a été versée sur votre compte Orange Money. Réf. ab12cd34.',
    );
  });

  it('names Moov Money for Moov numbers and stays generic when the operator is unknown', () => {
    expect(payoutSmsMessage({ month: '2014-12', amount: 1500000, operator: 'moov', lineId: 'ffffffff-0000-4000-8000-000000000000' })).toBe(
      'ScholarPay: votre bourse de décembre 2014 (1 500 000 FCFA) a été versée sur votre compte Moov Money. Réf. ffffffff.',
    );
    expect(payoutSmsMessage({ month: '2015-08', amount: 500, operator: null, lineId: '0123abcd-0000-4000-8000-000000000000' })).toContain('sur votre compte mobile money. Réf. 0123abcd.');
  });

  it('writes every month in French and refuses anything that is not YYYY-MM', () => {
    expect(['01', '02', '08', '12'].map((m) => frenchMonth(`2015-${m}`))).toEqual(['janvier 2015', 'février 2015', 'août 2015', 'décembre 2015']);
    expect(() => frenchMonth('2015-13')).toThrow('not a YYYY-MM month');
    expect(shortReference('ab12cd34-ef56-4000-8000-000000000000')).toBe('ab12cd34');
  });

  it('fits in the provider limit of 480 characters', () => {
    expect(payoutSmsMessage({ month: '2015-09', amount: Number.MAX_SAFE_INTEGER, operator: 'orange', lineId: 'ab12cd34-0000-4000-8000-000000000000' }).length).toBeLessThan(480);
  });
});
