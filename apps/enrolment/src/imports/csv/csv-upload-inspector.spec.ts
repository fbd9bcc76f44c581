import { CsvUploadInspector, UploadRejectedError } from './csv-upload-inspector';

const header =
  'national_id;prénom;nom;sexe;date_de_naissance;région_d_origine;code_ecole;filière;année_d_entrée';

function inspect(bytes: Buffer, { pieceSize = 16, maxBytes = 1_000_000 } = {}) {
  const inspector = new CsvUploadInspector(maxBytes);
  for (let index = 0; index < bytes.length; index += pieceSize)
    inspector.push(bytes.subarray(index, index + pieceSize));
  return inspector.finish();
}

function problemOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (error instanceof UploadRejectedError) return error.problem;
    throw error;
  }
  throw new Error('expected the upload to be refused');
}

describe('CsvUploadInspector', () => {
  it.each([1, 3, 16, 4096])(
    'reads header, encoding and row count of a UTF-8 file with BOM and CRLF (pieces of %i)',
    (pieceSize) => {
      const file = Buffer.from(
        `\ufeff${header}\r\nML1;Aïssata;N'Diaye;F;2001-03-14;Gao;ESS-GAO;nursing;2019\r\n\r\nML2;Sékou;Traoré;M;2000-01-02;Kidal;ESS-GAO;nursing;2019\r\n`,
      );
      const result = inspect(file, { pieceSize });
      expect(result).toMatchObject({
        byteSize: file.length,
        encoding: 'utf-8',
        totalRows: 2,
        header: { delimiter: ';' },
      });
      expect(result.sha256).toMatch(/^[0-9a-f]{64}$/);
    },
  );

  it('finds the header after leading blank lines', () => {
    expect(inspect(Buffer.from(`\n\n${header}\nML1;A;B;F;2001-03-14;Gao;X;nursing;2019\n`)).totalRows).toBe(
      1,
    );
  });

  it('switches to Windows-1252 when the first non-ASCII byte is not UTF-8', () => {
    const file = Buffer.concat([
      Buffer.from('national_id;pr'),
      Buffer.from([0xe9]),
      Buffer.from(
        'nom;nom;sexe;date_de_naissance;region;ecole;filiere;promotion\r\nML1;A;B;F;2001-03-14;Gao;X;nursing;2019\r\n',
      ),
    ]);
    const result = inspect(file, { pieceSize: 5 });
    expect(result.encoding).toBe('windows-1252');
    expect(result.header.headerNames[1]).toBe('prénom');
  });

  it('refuses a file that mixes UTF-8 with other bytes', () => {
    const file = Buffer.concat([
      Buffer.from(`${header}\nML1;Aïssata;B;F;2001-03-14;Gao;X;nursing;2019\nML2;`),
      Buffer.from([0xe9, 0x41]),
      Buffer.from(';x\n'),
    ]);
    expect(problemOf(() => inspect(file))).toMatchObject({ kind: 'not_text' });
  });

  describe('a file small enough to arrive in one piece', () => {
    const english =
      'national_id,first_name,last_name,sex,date_of_birth,region_of_origin,school_code,programme_of_study,intake_year\n';
    const utf8Row = Buffer.from('ML1,Awa,Dembélé,F,2001-02-03,Ségou,X,nursing,2024\n', 'utf8');
    const cp1252Row = Buffer.from('ML2,Fanta,Traoré,F,2001-02-03,Ségou,X,nursing,2024\n', 'latin1');

    it.each([4096, 65536])(
      'refuses a UTF-8 row followed by a Windows-1252 row (pieces of %i)',
      (pieceSize) => {
        const file = Buffer.concat([Buffer.from(english), utf8Row, cp1252Row]);
        const problem = problemOf(() => inspect(file, { pieceSize }));
        expect(problem).toMatchObject({ kind: 'not_text' });
        // The first byte that is not UTF-8: the "é" of Traoré.
        const offset = english.length + utf8Row.length + 'ML2,Fanta,Traor'.length;
        expect(problem.message).toContain(`byte ${offset + 1} `);
      },
    );

    it('refuses a UTF-8 row followed by bytes that are no text at all', () => {
      const file = Buffer.concat([
        Buffer.from(english),
        utf8Row,
        Buffer.from('ML2,A'),
        Buffer.from([0xff, 0xfe]),
        Buffer.from(',X,F,2001-02-03,Gao,X,nursing,2024\n'),
      ]);
      expect(problemOf(() => inspect(file, { pieceSize: 65536 }))).toMatchObject({ kind: 'not_text' });
    });

    it('reads a Windows-1252 file as Windows-1252', () => {
      const file = Buffer.concat([Buffer.from(english), cp1252Row]);
      expect(inspect(file, { pieceSize: 65536 })).toMatchObject({ encoding: 'windows-1252', totalRows: 1 });
    });

    it('reads a Windows-1252 file whose very last byte is an accented letter', () => {
      const file = Buffer.concat([Buffer.from(english), Buffer.from('ML2,Fanta,Traoré', 'latin1')]);
      for (const pieceSize of [1, 65536])
        expect(inspect(file, { pieceSize })).toMatchObject({ encoding: 'windows-1252', totalRows: 1 });
    });

    it('refuses a UTF-8 file that ends in the middle of a character', () => {
      const file = Buffer.concat([Buffer.from(english), utf8Row, Buffer.from([0xc3])]);
      expect(problemOf(() => inspect(file, { pieceSize: 65536 }))).toMatchObject({ kind: 'not_text' });
    });
  });

  it('refuses binary files and spreadsheets that are not CSV', () => {
    expect(
      problemOf(() => inspect(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]))),
    ).toMatchObject({
      kind: 'not_csv',
      message: expect.stringContaining('Excel'),
    });
    expect(problemOf(() => inspect(Buffer.from([0x41, 0x00, 0x42, 0x0a])))).toMatchObject({
      kind: 'not_csv',
      message: expect.stringContaining('binary'),
    });
  });

  it('refuses text without a recognisable header, or with columns missing', () => {
    expect(problemOf(() => inspect(Buffer.from('Dear sir,\nplease find attached\n')))).toMatchObject({
      kind: 'header',
      header: { kind: 'unrecognised' },
    });
    expect(problemOf(() => inspect(Buffer.from('nina;nom\nML1;X\n')))).toMatchObject({
      kind: 'header',
      header: { kind: 'missing_columns' },
    });
    expect(problemOf(() => inspect(Buffer.from('x'.repeat(70 * 1024))))).toMatchObject({ kind: 'not_csv' });
  });

  it('refuses an empty file and one over the limit', () => {
    expect(problemOf(() => inspect(Buffer.alloc(0)))).toMatchObject({ kind: 'empty' });
    expect(problemOf(() => inspect(Buffer.from('  \n \n')))).toMatchObject({ kind: 'empty' });
    const big = Buffer.from(`${header}\n${'ML1;A;B;F;2001-03-14;Gao;X;nursing;2019\n'.repeat(100)}`);
    expect(problemOf(() => inspect(big, { maxBytes: 1024 }))).toMatchObject({
      kind: 'too_large',
      message: 'the file is over the 1 KiB limit',
    });
  });

  it('accepts a header-only file (no rows)', () => {
    expect(inspect(Buffer.from(header)).totalRows).toBe(0);
  });
});
