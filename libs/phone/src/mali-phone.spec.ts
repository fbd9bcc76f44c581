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

  it('refuses what is not a Malian mobile number', () => {
    expect(parseMaliPhone('')).toEqual({ ok: false, problem: 'is empty' });
    expect(parseMaliPhone('12345')).toMatchObject({ ok: false });
    expect(parseMaliPhone('hello')).toMatchObject({ ok: false });
  });

  it('keeps foreign mobile numbers in E.164 with no operator guess', () => {
    expect(parseMaliPhone('+221 77 123 45 67')).toMatchObject({ ok: true, e164: '+221771234567', operator: null });
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
