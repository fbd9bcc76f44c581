import { inferMaliOperator, isMaliNumber, parseMaliPhone } from './mali-phone';

describe('parseMaliPhone', () => {
  it.each([
    ['76 12 34 56', '+22376123456', 'orange'],
    ['+223 76 12 34 56', '+22376123456', 'orange'],
    ['0022366123456', '+22366123456', 'moov'],
    ['90.12.34.56', '+22390123456', 'orange'],
    ['89-12-34-56', '+22389123456', 'moov'],
  ])('reads %s as %s (%s)', (input, e164, operator) => {
    expect(parseMaliPhone(input)).toMatchObject({ ok: true, e164, operator });
  });

  it('refuses what is not a phone number', () => {
    expect(parseMaliPhone('')).toEqual({ ok: false, problem: 'is empty' });
    expect(parseMaliPhone('12345')).toMatchObject({ ok: false });
    expect(parseMaliPhone('hello')).toMatchObject({ ok: false });
  });

  it.each([
    ['a French landline', '+33 1 23 45 67 89'],
    ['a US number', '+1 212 555 0123'],
    ['a Senegalese mobile', '+221 77 123 45 67'],
    ['a French mobile written with 00', '0033612345678'],
  ])('refuses %s: stipends go to Malian mobile-money wallets only', (_label, input) => {
    const result = parseMaliPhone(input);
    expect(result).toEqual({
      ok: false,
      problem: expect.stringContaining('must be a Malian mobile number (+223 and eight digits)'),
    });
    // The caller sees the problem, never the number back.
    if (!result.ok) expect(result.problem.replace(/\D/g, '')).not.toContain(input.replace(/\D/g, '').slice(-6));
  });

  it('refuses a Malian landline or service number', () => {
    expect(parseMaliPhone('+223 20 22 12 34')).toEqual({
      ok: false,
      problem: expect.stringContaining('is not a mobile number'),
    });
    expect(parseMaliPhone('+223 80 00 00 00')).toMatchObject({ ok: false });
  });

  it.each(['+223 76 12 34 56 ext 5', '+223 76 12 34 56 x5', '76 12 34 56 #5', '+22376123456;ext=5'])(
    'refuses the extension in %s rather than dropping it',
    (input) => {
      expect(parseMaliPhone(input)).toEqual({ ok: false, problem: expect.stringContaining('extension') });
    },
  );

  it.each(['76123456abc', 'call 76 12 34 56', '76 12 34 56 (Awa)'])(
    'refuses %s rather than reading a number out of the text around it',
    (input) => {
      expect(parseMaliPhone(input)).toEqual({
        ok: false,
        problem: expect.stringContaining('may contain only digits'),
      });
    },
  );

  it('accepts the punctuation schools write numbers with', () => {
    expect(parseMaliPhone('(+223) 76-12-34-56')).toMatchObject({ ok: true, e164: '+22376123456' });
    expect(parseMaliPhone('76\u00a012\u00a034\u00a056')).toMatchObject({ ok: true, e164: '+22376123456' });
  });
});

describe('isMaliNumber', () => {
  it('tells Malian numbers from foreign ones', () => {
    expect(isMaliNumber('+22376123456')).toBe(true);
    expect(isMaliNumber('+33612345678')).toBe(false);
    expect(isMaliNumber('+221771234567')).toBe(false);
    expect(isMaliNumber('+2237612345')).toBe(false);
  });
});

describe('inferMaliOperator', () => {
  it('follows the numbering plan', () => {
    expect(inferMaliOperator('+22382000000')).toBe('orange');
    expect(inferMaliOperator('+22395000000')).toBe('moov');
    expect(inferMaliOperator('+22380000000')).toBeNull();
  });
});
