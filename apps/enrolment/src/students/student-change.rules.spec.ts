import { changeReasonRule, fieldsNeedingAReason } from './student-change.rules';

describe('student change rules', () => {
  it('asks for a reason when the phone, national id or school changes, not for other fields', () => {
    expect(
      fieldsNeedingAReason({
        firstName: { from: 'Awa', to: 'Aïssata' },
        operator: { from: 'orange', to: 'moov' },
      }),
    ).toEqual([]);
    expect(
      fieldsNeedingAReason({
        phone: { from: '+22376123456', to: '+22366123456' },
        operator: { from: 'orange', to: 'moov' },
      }),
    ).toEqual(['phone']);
    expect(
      fieldsNeedingAReason({
        schoolId: { from: 'a', to: 'b' },
        schoolCode: { from: 'ESS-GAO', to: 'ESS-KIDAL' },
        nationalId: { from: 'ML1', to: 'ML2' },
        phone: { from: null, to: '+22376123456' },
      }),
    ).toEqual(['phone', 'nationalId', 'schoolCode']);
  });

  it('takes a reason tidied, refuses a blank or overlong one', () => {
    expect(changeReasonRule('  new  SIM card\n')).toEqual({ ok: true, value: 'new SIM card' });
    expect(changeReasonRule('   ')).toEqual({
      ok: false,
      problem: expect.stringContaining('must not be blank'),
    });
    expect(changeReasonRule('x'.repeat(501))).toEqual({
      ok: false,
      problem: 'must be at most 500 characters',
    });
  });
});
