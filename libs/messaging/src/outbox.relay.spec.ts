import { takeWithinBytes } from './outbox.relay';

describe('takeWithinBytes', () => {
  const item = (bytes: number) => ({ value: 'x'.repeat(bytes) });

  it('takes the leading items that fit together, in order', () => {
    expect(takeWithinBytes([item(400), item(400), item(400)], 1000)).toHaveLength(2);
    expect(takeWithinBytes([item(400), item(600), item(1)], 1000)).toHaveLength(2);
    expect(takeWithinBytes([item(10), item(10)], 1000)).toHaveLength(2);
    expect(takeWithinBytes([], 1000)).toEqual([]);
  });

  it('counts bytes, not characters', () => {
    expect(takeWithinBytes([{ value: 'é'.repeat(300) }, { value: 'é'.repeat(300) }], 1000)).toHaveLength(1);
  });

  it('always takes the first item, even one larger than the limit, so it is tried rather than skipped', () => {
    expect(takeWithinBytes([item(2000), item(1)], 1000)).toHaveLength(1);
  });
});
