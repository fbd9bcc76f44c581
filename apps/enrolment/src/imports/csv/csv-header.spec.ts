import { analyseHeaderLine, sniffDelimiter, splitHeaderLine } from './csv-header';

const english =
  'national_id,first_name,last_name,sex,date_of_birth,region_of_origin,school_code,programme_of_study,intake_year,phone,operator';

describe('CSV header', () => {
  it('sniffs the delimiter from the header line', () => {
    expect(sniffDelimiter(english)).toBe(',');
    expect(sniffDelimiter('nina;prénom;nom')).toBe(';');
    expect(sniffDelimiter('nina\tprénom\tnom')).toBe('\t');
    expect(sniffDelimiter('"a;b",c,d')).toBe(',');
  });

  it('splits quoted header cells', () => {
    expect(splitHeaderLine('"national_id", "first ""name""" ,x', ',')).toEqual([
      'national_id',
      'first "name"',
      'x',
    ]);
  });

  it('maps English headers in any case', () => {
    const analysis = analyseHeaderLine(english.toUpperCase());
    expect(analysis).toMatchObject({
      ok: true,
      header: { delimiter: ',', columnMap: { nationalId: 0, operator: 10 }, ignoredColumns: [] },
    });
  });

  it('maps French headers with or without accents, and keeps their spelling for messages', () => {
    const line =
      'NINA;Prénom;Nom;Sexe;Date de naissance;Région d’origine;Code école;Filière;Année d’entrée;Téléphone;Opérateur;Remarques';
    const analysis = analyseHeaderLine(line);
    expect(analysis.ok).toBe(true);
    if (!analysis.ok) return;
    expect(analysis.header.delimiter).toBe(';');
    expect(analysis.header.columnMap).toEqual({
      nationalId: 0,
      firstName: 1,
      lastName: 2,
      sex: 3,
      dateOfBirth: 4,
      regionOfOrigin: 5,
      schoolCode: 6,
      programmeOfStudy: 7,
      intakeYear: 8,
      phone: 9,
      operator: 10,
    });
    expect(analysis.header.headerNames[1]).toBe('Prénom');
    expect(analysis.header.ignoredColumns).toEqual(['Remarques']);
    expect(
      analyseHeaderLine('nina,prenom,nom,sexe,date_de_naissance,region_origine,ecole,programme,promotion').ok,
    ).toBe(true);
  });

  it('names the required columns a header lacks, in English and French', () => {
    expect(analyseHeaderLine('national_id,first_name,last_name,sex')).toEqual({
      ok: false,
      problem: {
        kind: 'missing_columns',
        message: expect.stringContaining('date_of_birth (date_de_naissance)'),
        missing: [
          'date_of_birth (date_de_naissance)',
          'region_of_origin (région_d_origine)',
          'school_code (code_ecole)',
          'programme_of_study (filière)',
          'intake_year (année_d_entrée)',
        ],
      },
    });
  });

  it('refuses a header that gives one field twice', () => {
    expect(analyseHeaderLine(`${english},nina`)).toMatchObject({
      ok: false,
      problem: { kind: 'duplicate_columns' },
    });
  });

  it('calls a line with no known column unrecognised', () => {
    expect(analyseHeaderLine('hello world, this is a letter')).toMatchObject({
      ok: false,
      problem: { kind: 'unrecognised' },
    });
    expect(analyseHeaderLine('{"nationalId": "ML1"}')).toMatchObject({
      ok: false,
      problem: { kind: 'unrecognised' },
    });
  });
});
