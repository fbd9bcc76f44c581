import { CsvRecordCounter } from './csv-record-counter';

function count(text: string, delimiter = ',', pieceSize = text.length || 1): number {
  const counter = new CsvRecordCounter(delimiter);
  for (let index = 0; index < text.length; index += pieceSize)
    counter.write(text.slice(index, index + pieceSize));
  return counter.total();
}

describe('CsvRecordCounter', () => {
  it('counts records, not lines', () => {
    expect(count('a,b\n1,2\n3,4\n')).toBe(3);
    expect(count('a,b\n1,2\n3,4')).toBe(3);
    expect(count('a,b\n"multi\nline",2\n3,4\n')).toBe(3);
    expect(count('a,b\n"with ""escaped\n"" quotes",2\n')).toBe(2);
  });

  it('skips blank lines and lines of delimiters only', () => {
    expect(count('a;b\n\n   \n;;\n1;2\n', ';')).toBe(2);
  });

  it('treats a quote inside an unquoted field as text', () => {
    expect(count('a,b\nN"Diaye,2\n3,4\n')).toBe(3);
  });

  it.each([1, 2, 3, 7])('gives the same count in pieces of %i characters', (size) => {
    expect(count('a,b\n"x\ny",2\n\n3,"4"\n', ',', size)).toBe(3);
  });
});
