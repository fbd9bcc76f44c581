import { CsvItem, readCsvRecords } from './csv-record-reader';

async function read(text: string, pieceSize: number, delimiter: ',' | ';' = ';'): Promise<CsvItem[]> {
  const bytes = Buffer.from(text, 'utf8');
  async function* pieces() {
    for (let index = 0; index < bytes.length; index += pieceSize)
      yield bytes.subarray(index, index + pieceSize);
  }
  const items: CsvItem[] = [];
  for await (const item of readCsvRecords(pieces(), { encoding: 'utf-8', delimiter })) items.push(item);
  return items;
}

describe('readCsvRecords', () => {
  it.each([1, 4, 1024])(
    'numbers rows by the line they start on, across CRLF, quoted line breaks and blank lines (pieces of %i)',
    async (size) => {
      const items = await read('\ufeffa;b\r\n1;"x\r\ny"\r\n2;z\r\n\r\n;\r\n3;w\r\n', size);
      expect(items).toEqual([
        { kind: 'record', line: 1, fields: ['a', 'b'] },
        { kind: 'record', line: 2, fields: ['1', 'x\ny'] },
        { kind: 'record', line: 4, fields: ['2', 'z'] },
        { kind: 'record', line: 7, fields: ['3', 'w'] },
      ]);
    },
  );

  it('keeps short and long rows (the row parser judges them)', async () => {
    expect(await read('a,b,c\n1\n1,2,3,4\n', 64, ',')).toEqual([
      { kind: 'record', line: 1, fields: ['a', 'b', 'c'] },
      { kind: 'record', line: 2, fields: ['1'] },
      { kind: 'record', line: 3, fields: ['1', '2', '3', '4'] },
    ]);
  });

  it.each([1, 7, 65536])(
    'reports an unclosed quote once, at its row, and stops (pieces of %i)',
    async (size) => {
      const items = await read(`a;b\n1;z\n2;"open\n${'3;w\n'.repeat(20000)}`, size);
      expect(items).toEqual([
        { kind: 'record', line: 1, fields: ['a', 'b'] },
        { kind: 'record', line: 2, fields: ['1', 'z'] },
        { kind: 'broken', line: 3, message: expect.stringContaining('never closed') },
      ]);
    },
  );
});
