import {
  decodeCsv,
  isBlankRecord,
  mapHeader,
  normaliseWord,
  parseOutcome,
  parseResultRecord,
  parseScoreCell,
  sniffDelimiter,
  type HeaderMapping,
} from './result-csv.rules';

function mapped(header: string[]): Extract<HeaderMapping, { ok: true }> {
  const mapping = mapHeader(header);
  if (!mapping.ok) throw new Error(JSON.stringify(mapping.problems));
  return mapping;
}

describe('mapHeader', () => {
  it('reads English headers', () => {
    const mapping = mapped(['student_id', 'national_id', 'result', 'score', 'name']);
    expect(mapping.columns).toEqual(['studentId', 'nationalId', 'result', 'score', null]);
    expect(mapping.ignored).toEqual(['name']);
  });

  it('reads French headers with accents, capitals, spaces and a BOM', () => {
    const mapping = mapped(['\ufeffNINA', ' Résultat ', 'Note', 'Nom et prénom']);
    expect(mapping.columns).toEqual(['nationalId', 'result', 'score', null]);
    expect(mapping.names).toEqual({ nationalId: 'NINA', result: 'Résultat', score: 'Note' });
  });

  it('needs a result column and a way to identify the student', () => {
    const mapping = mapHeader(['name', 'score']);
    expect(mapping.ok).toBe(false);
    if (mapping.ok) return;
    expect(mapping.problems.map((p) => p.problem)).toEqual([
      'the file needs a result column (result, résultat, outcome or décision)',
      'the file needs a student_id column or a national_id (NINA) column to say whose result each row is',
    ]);
  });

  it('refuses two columns with the same meaning', () => {
    const mapping = mapHeader(['nina', 'national_id', 'result']);
    expect(mapping.ok).toBe(false);
    if (mapping.ok) return;
    expect(mapping.problems).toEqual([
      { field: 'header[1]', problem: 'column "national_id" means the same as column "nina"; keep only one' },
    ]);
  });
});

describe('cell parsing', () => {
  it.each([
    ['pass', true],
    ['PASSED', true],
    ['Admis', true],
    ['admise', true],
    ['réussi', true],
    ['1', true],
    ['fail', false],
    ['Ajourné', false],
    ['ajournée', false],
    ['échoué', false],
    ['0', false],
  ])('reads %s as %s', (text, expected) => {
    expect(parseOutcome(text)).toBe(expected);
  });

  it('does not guess other outcome words', () => {
    expect(parseOutcome('absent')).toBeNull();
    expect(parseOutcome('')).toBeNull();
  });

  it('reads scores with a decimal point or a French comma', () => {
    expect(parseScoreCell('12.5')).toEqual({ ok: true, score: 12.5 });
    expect(parseScoreCell('12,5')).toEqual({ ok: true, score: 12.5 });
    expect(parseScoreCell(' ')).toEqual({ ok: true, score: null });
    expect(parseScoreCell('douze')).toEqual({ ok: false, problem: 'must be a number such as 12.5 or 12,5' });
    expect(parseScoreCell('-3')).toEqual({ ok: false, problem: 'must be a number such as 12.5 or 12,5' });
  });

  it('normalises words', () => {
    expect(normaliseWord(' N° NINA ')).toBe('n_nina');
    expect(normaliseWord('Identifiant-Étudiant')).toBe('identifiant_etudiant');
  });
});

describe('sniffDelimiter', () => {
  it('picks the separator of the header line, ignoring quoted text', () => {
    expect(sniffDelimiter('nina;résultat;note\r\nA;admis;12,5')).toBe(';');
    expect(sniffDelimiter('student_id,result,score\n')).toBe(',');
    expect(sniffDelimiter('"a;b;c",result\n')).toBe(',');
    expect(sniffDelimiter('nina\tresult\n')).toBe('\t');
    expect(sniffDelimiter('result\n')).toBe(',');
  });
});

describe('decodeCsv', () => {
  it('strips a UTF-8 BOM', () => {
    expect(decodeCsv(Buffer.from('\ufeffrésultat', 'utf8'))).toEqual({ text: 'résultat', encoding: 'utf-8' });
  });

  it('falls back to Windows-1252 for bytes that are not UTF-8', () => {
    expect(decodeCsv(Buffer.from([0x72, 0xe9, 0x73]))).toEqual({ text: 'rés', encoding: 'windows-1252' });
  });

  it('reads UTF-16 with its BOM', () => {
    const content = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('note', 'utf16le')]);
    expect(decodeCsv(content)).toEqual({ text: 'note', encoding: 'utf-16le' });
  });
});

describe('parseResultRecord', () => {
  const mapping = mapped(['student_id', 'nina', 'résultat', 'note']);
  const id = '0b5c6f7e-2a1d-4c3b-9e8f-1a2b3c4d5e6f';

  it('reads a complete record', () => {
    expect(parseResultRecord([id.toUpperCase(), '', 'Admis', '14,25'], mapping)).toEqual({
      ok: true,
      record: { studentId: id, nationalId: null, passed: true, score: 14.25 },
    });
  });

  it('names every problem by the column as the file calls it', () => {
    const parsed = parseResultRecord(['not-a-uuid', '', 'absent', 'x'], mapping);
    expect(parsed).toEqual({
      ok: false,
      problems: [
        { field: 'student_id', code: 'IMPORT.STUDENT_ID_INVALID', problem: 'must be a student id (a UUID)' },
        {
          field: 'résultat',
          code: 'IMPORT.RESULT_INVALID',
          problem: '"absent" is not a result; use pass/fail, admis/ajourné, réussi/échoué, 1/0',
        },
        { field: 'note', code: 'IMPORT.SCORE_INVALID', problem: 'must be a number such as 12.5 or 12,5' },
      ],
    });
  });

  it('needs a student and a result', () => {
    const parsed = parseResultRecord(['', '', '', ''], mapping);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems.map((p) => p.code)).toEqual(['IMPORT.STUDENT_MISSING', 'IMPORT.RESULT_MISSING']);
    expect(parsed.problems[0].field).toBe('student_id or nina');
  });

  it('refuses extra non-empty cells but tolerates trailing empty ones', () => {
    expect(parseResultRecord([id, '', 'pass', '', ''], mapping).ok).toBe(true);
    const parsed = parseResultRecord([id, '', 'pass', '', 'oops'], mapping);
    expect(parsed.ok).toBe(false);
  });

  it('recognises blank records', () => {
    expect(isBlankRecord(['', ' ', ''])).toBe(true);
    expect(isBlankRecord(['', 'x'])).toBe(false);
  });
});
