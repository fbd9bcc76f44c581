import { CsvTextDecoder } from './csv-text-decoder';

function decodeInPieces(bytes: Buffer, size: number, encoding: 'utf-8' | 'windows-1252' = 'utf-8'): string {
  const decoder = new CsvTextDecoder(encoding);
  let text = '';
  for (let index = 0; index < bytes.length; index += size)
    text += decoder.write(bytes.subarray(index, index + size));
  return text + decoder.end();
}

describe('CsvTextDecoder', () => {
  const source = Buffer.from('\ufeffprénom;nom\r\nAïssata;N’Diaye\r\nSékou;Traoré\rOld;Mac\n', 'utf8');

  it.each([1, 2, 3, 5, 64])(
    'drops the BOM and normalises line endings whatever the piece size (%i)',
    (size) => {
      expect(decodeInPieces(source, size)).toBe('prénom;nom\nAïssata;N’Diaye\nSékou;Traoré\nOld;Mac\n');
    },
  );

  it('keeps a BOM-like character that is not at the start', () => {
    expect(decodeInPieces(Buffer.from('a\ufeffb', 'utf8'), 1)).toBe('a\ufeffb');
  });

  it('reads Windows-1252 (older Excel "CSV")', () => {
    expect(
      decodeInPieces(Buffer.from([0x50, 0x72, 0xe9, 0x6e, 0x6f, 0x6d, 0x0d, 0x0a, 0x92]), 1, 'windows-1252'),
    ).toBe('Prénom\n’');
  });

  it('throws on invalid UTF-8 when asked to be strict', () => {
    const strict = new CsvTextDecoder('utf-8', { fatal: true });
    expect(() => strict.write(Buffer.from([0x50, 0xe9, 0x6e]))).toThrow(/not valid/);
  });
});
