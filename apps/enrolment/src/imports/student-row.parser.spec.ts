import { analyseHeaderLine } from './csv/csv-header';
import { StudentRowParser } from './student-row.parser';

const today = new Date('2026-05-10T00:00:00Z');

function parserFor(headerLine: string): StudentRowParser {
  const analysis = analyseHeaderLine(headerLine);
  if (!analysis.ok) throw new Error(analysis.problem.message);
  return new StudentRowParser(analysis.header.columnMap, analysis.header.headerNames, today);
}

describe('StudentRowParser', () => {
  const french = parserFor(
    'nina;prénom;nom;sexe;date_de_naissance;région_d_origine;code_ecole;filière;année_d_entrée;téléphone;opérateur',
  );

  it('reads a French row the way a school writes it', () => {
    const result = french.parse(2, [
      ' ml-0001 ',
      'Aïssata',
      "N'Diaye",
      'Féminin',
      '14/03/2001',
      'TOMBOUCTOU',
      'ess-gao',
      'Soins infirmiers',
      '2019',
      '76 12 34 56',
      '',
    ]);
    expect(result).toEqual({
      ok: true,
      row: {
        row: 2,
        nationalId: 'ML-0001',
        firstName: 'Aïssata',
        lastName: "N'Diaye",
        sex: 'F',
        dateOfBirth: '2001-03-14',
        regionOfOrigin: 'Tombouctou',
        school: 'ess-gao',
        programmeOfStudy: 'nursing',
        intakeYear: 2019,
        phone: { e164: '+22376123456', inferredOperator: 'orange' },
        operator: undefined,
      },
    });
  });

  it('lists every problem of a row under the column names of the file', () => {
    const result = french.parse(7, [
      '',
      'R2D2',
      'Traoré',
      'x',
      '31/02/2001',
      'Mars',
      '',
      'astrologie',
      '20l9',
      '12',
      'Tigo',
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((problem) => [problem.row, problem.column])).toEqual([
      [7, 'nina'],
      [7, 'prénom'],
      [7, 'sexe'],
      [7, 'date_de_naissance'],
      [7, 'région_d_origine'],
      [7, 'code_ecole'],
      [7, 'filière'],
      [7, 'année_d_entrée'],
      [7, 'téléphone'],
      [7, 'opérateur'],
    ]);
  });

  it('refuses a student younger than 15 at intake', () => {
    const result = french.parse(3, [
      'ML1',
      'A',
      'B',
      'F',
      '2010-01-01',
      'Gao',
      'X',
      'nursing',
      '2020',
      '',
      '',
    ]);
    expect(result).toEqual({
      ok: false,
      problems: [
        { row: 3, column: 'date_de_naissance', message: expect.stringContaining('minimum age is 15') },
      ],
    });
  });

  it('treats a blank phone as no phone and an absent phone column as "leave it alone"', () => {
    const withBlank = french.parse(2, [
      'ML1',
      'A',
      'B',
      'F',
      '2001-01-01',
      'Gao',
      'X',
      'nursing',
      '2019',
      ' ',
      '',
    ]);
    expect(withBlank).toMatchObject({ ok: true, row: { phone: null } });
    const noPhoneColumn = parserFor('nina,prenom,nom,sexe,date_de_naissance,region,ecole,filiere,promotion');
    expect(
      noPhoneColumn.parse(2, ['ML1', 'A', 'B', 'F', '2001-01-01', 'Gao', 'X', 'nursing', '2019']),
    ).toMatchObject({
      ok: true,
      row: { phone: undefined },
    });
  });

  it('rejects a row whose phone is not a Malian mobile number, as the API does', () => {
    const row = (phone: string) =>
      french.parse(4, ['ML1', 'A', 'B', 'F', '2001-01-01', 'Gao', 'X', 'nursing', '2019', phone, '']);
    expect(row('+33 1 23 45 67 89')).toEqual({
      ok: false,
      problems: [
        {
          row: 4,
          column: 'téléphone',
          message: expect.stringContaining('must be a Malian mobile number (+223 and eight digits)'),
        },
      ],
    });
    expect(row('+223 76 12 34 56 ext 5')).toEqual({
      ok: false,
      problems: [{ row: 4, column: 'téléphone', message: expect.stringContaining('extension') }],
    });
  });

  it('wants a phone for an operator, and reads operator brand names', () => {
    expect(
      french.parse(2, ['ML1', 'A', 'B', 'F', '2001-01-01', 'Gao', 'X', 'nursing', '2019', '', 'Orange']),
    ).toMatchObject({
      ok: false,
      problems: [{ column: 'opérateur', message: 'is given but the row has no phone number' }],
    });
    expect(
      french.parse(2, [
        'ML1',
        'A',
        'B',
        'F',
        '2001-01-01',
        'Gao',
        'X',
        'nursing',
        '2019',
        '76123456',
        'Malitel',
      ]),
    ).toMatchObject({
      ok: true,
      row: { operator: 'moov' },
    });
  });

  it('reads a short row as blanks', () => {
    expect(french.parse(4, ['ML1'])).toMatchObject({
      ok: false,
      problems: expect.arrayContaining([{ row: 4, column: 'prénom', message: 'is required' }]),
    });
  });
});
