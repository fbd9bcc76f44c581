import {
  ageAtEnrolmentProblem,
  dateOfBirthRule,
  intakeYearFromText,
  intakeYearRule,
  nameRule,
  nationalIdRule,
  operatorRule,
  phoneRule,
  programmeRule,
  regionRule,
  resolveOperator,
  sexRule,
} from './student-fields.rules';

const today = new Date('2026-05-10T12:00:00Z');

describe('student field rules', () => {
  it('normalises national ids and refuses junk', () => {
    expect(nationalIdRule(' ml 0001 ')).toEqual({ ok: true, value: 'ML0001' });
    expect(nationalIdRule('')).toEqual({ ok: false, problem: 'is required' });
    expect(nationalIdRule('ab')).toMatchObject({ ok: false });
    expect(nationalIdRule('ML#01')).toMatchObject({ ok: false });
  });

  it.each(['Aïssata', 'Sékou', "N'Diaye", 'Ould Mohamed', 'N’Golo', 'Fatoumata-Binta', 'محمد'])(
    'accepts the name %s',
    (name) => {
      expect(nameRule(name)).toEqual({ ok: true, value: name });
    },
  );

  it('tidies names and puts them in NFC', () => {
    expect(nameRule('  Aı̈ssata  ')).toMatchObject({ ok: true });
    expect(nameRule('A\u0308issata'.normalize('NFD'))).toEqual({
      ok: true,
      value: 'A\u0308issata'.normalize('NFC'),
    });
    expect(nameRule('Ould   Mohamed')).toEqual({ ok: true, value: 'Ould Mohamed' });
  });

  it.each(['', '   ', 'R2D2', '<script>', "'quoted", 'x'.repeat(101)])('refuses the name %p', (name) => {
    expect(nameRule(name)).toMatchObject({ ok: false });
  });

  it('takes F or M strictly from the API and French or English words from a CSV', () => {
    expect(sexRule('F')).toEqual({ ok: true, value: 'F' });
    expect(sexRule('f')).toEqual({ ok: false, problem: 'must be F or M' });
    expect(sexRule('f', { lenient: true })).toEqual({ ok: true, value: 'F' });
    expect(sexRule('Féminin', { lenient: true })).toEqual({ ok: true, value: 'F' });
    expect(sexRule('HOMME', { lenient: true })).toEqual({ ok: true, value: 'M' });
    expect(sexRule('x', { lenient: true })).toMatchObject({ ok: false });
  });

  it('checks dates of birth are real, past and plausible', () => {
    expect(dateOfBirthRule('2001-03-14', { today })).toEqual({ ok: true, value: '2001-03-14' });
    expect(dateOfBirthRule('2001-02-31', { today })).toEqual({
      ok: false,
      problem: '2001-02-31 is not a real date',
    });
    expect(dateOfBirthRule('2000-02-29', { today })).toEqual({ ok: true, value: '2000-02-29' });
    expect(dateOfBirthRule('2001-02-29', { today })).toMatchObject({ ok: false });
    expect(dateOfBirthRule('2001-13-01', { today })).toMatchObject({ ok: false });
    expect(dateOfBirthRule('2026-05-11', { today })).toEqual({ ok: false, problem: 'is in the future' });
    expect(dateOfBirthRule('1899-12-31', { today })).toMatchObject({ ok: false });
    expect(dateOfBirthRule('14/03/2001', { today })).toMatchObject({ ok: false });
    expect(dateOfBirthRule('14/03/2001', { today, lenient: true })).toEqual({
      ok: true,
      value: '2001-03-14',
    });
    expect(dateOfBirthRule('4-3-2001', { today, lenient: true })).toEqual({ ok: true, value: '2001-03-04' });
    expect(dateOfBirthRule('31/02/2001', { today, lenient: true })).toMatchObject({ ok: false });
  });

  it('requires 15 years at the 1 October start of the intake year', () => {
    expect(ageAtEnrolmentProblem('1999-10-01', 2014)).toBeNull();
    expect(ageAtEnrolmentProblem('1999-10-02', 2014)).toMatch(/14 at the start of the 2014 intake/);
    expect(ageAtEnrolmentProblem('2012-01-01', 2014)).toMatch(/minimum age is 15/);
  });

  it('accepts regions in any case, with or without accents, and stores the canonical name', () => {
    expect(regionRule('Tombouctou')).toEqual({ ok: true, value: 'Tombouctou' });
    expect(regionRule('TOMBOUCTOU')).toEqual({ ok: true, value: 'Tombouctou' });
    expect(regionRule('Menaka')).toEqual({ ok: true, value: 'Ménaka' });
    expect(regionRule('taoudenit')).toEqual({ ok: true, value: 'Taoudénit' });
    expect(regionRule('District de Bamako')).toEqual({ ok: true, value: 'Bamako' });
    expect(regionRule('segou')).toEqual({ ok: true, value: 'Ségou' });
    expect(regionRule('Dakar')).toMatchObject({ ok: false, problem: expect.stringContaining('Kidal') });
  });

  it('maps programme names in French and English to a code', () => {
    expect(programmeRule('Soins infirmiers')).toEqual({ ok: true, value: 'nursing' });
    expect(programmeRule('Sage-femme')).toEqual({ ok: true, value: 'midwifery' });
    expect(programmeRule('midwifery')).toEqual({ ok: true, value: 'midwifery' });
    expect(programmeRule('astrology')).toMatchObject({ ok: false });
  });

  it('keeps intake years in a sane range', () => {
    expect(intakeYearRule(2014, { today })).toEqual({ ok: true, value: 2014 });
    expect(intakeYearRule(2027, { today })).toEqual({ ok: true, value: 2027 });
    expect(intakeYearRule(2028, { today })).toEqual({ ok: false, problem: 'must be between 2000 and 2027' });
    expect(intakeYearRule(1999, { today })).toMatchObject({ ok: false });
    expect(intakeYearFromText('20l4', { today })).toEqual({
      ok: false,
      problem: 'must be a year such as 2014',
    });
  });

  it('reads phones as Malian and guesses the operator', () => {
    expect(phoneRule('76 12 34 56')).toEqual({
      ok: true,
      value: { e164: '+22376123456', inferredOperator: 'orange' },
    });
    expect(phoneRule('66 12 34 56')).toEqual({
      ok: true,
      value: { e164: '+22366123456', inferredOperator: 'moov' },
    });
    expect(phoneRule('12')).toMatchObject({ ok: false });
  });

  it('takes operators strictly from the API and by brand name from a CSV', () => {
    expect(operatorRule('orange')).toEqual({ ok: true, value: 'orange' });
    expect(operatorRule('Orange')).toMatchObject({ ok: false });
    expect(operatorRule('Orange Money', { lenient: true })).toEqual({ ok: true, value: 'orange' });
    expect(operatorRule('Malitel', { lenient: true })).toEqual({ ok: true, value: 'moov' });
  });

  it('lets an explicit operator win and keeps a hand-set operator while the number stays', () => {
    const base = {
      phone: '+22376123456',
      inferred: 'orange' as const,
      previousPhone: '+22376123456',
      previousOperator: 'moov' as const,
    };
    expect(resolveOperator({ ...base, explicit: undefined })).toBe('moov');
    expect(resolveOperator({ ...base, explicit: 'orange' })).toBe('orange');
    expect(resolveOperator({ ...base, explicit: null })).toBe('orange');
    expect(resolveOperator({ ...base, previousPhone: '+22370000000', explicit: undefined })).toBe('orange');
    expect(resolveOperator({ ...base, phone: null, explicit: undefined })).toBeNull();
  });
});
