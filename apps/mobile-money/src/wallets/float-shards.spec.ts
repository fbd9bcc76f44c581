import { FLOAT_SHARDS, homeShard, rebalanceShards, splitEvenly } from './float-shards';

const total = (shards: { balance: number }[]) => shards.reduce((sum, shard) => sum + shard.balance, 0);

describe('float shards', () => {
  it('maps a reference id to a stable home shard', () => {
    expect(homeShard('0000000f-0000-4000-8000-000000000000', 16)).toBe(15);
    expect(homeShard('00000010-0000-4000-8000-000000000000', 16)).toBe(0);
    expect(homeShard('ffffffff-0000-4000-8000-000000000000', FLOAT_SHARDS)).toBe(0xffffffff % FLOAT_SHARDS);
  });

  it('splits an amount into whole, near-equal parts', () => {
    expect(splitEvenly(10, 4)).toEqual([3, 3, 2, 2]);
    expect(splitEvenly(3, 4)).toEqual([1, 1, 1, 0]);
    expect(splitEvenly(0, 2)).toEqual([0, 0]);
  });

  it('reserves on the home shard by spreading the free float again', () => {
    const shards = [
      { shard: 0, balance: 100, reserved: 100 },
      { shard: 1, balance: 900, reserved: 0 },
      { shard: 2, balance: 50, reserved: 20 },
    ];
    const result = rebalanceShards(shards, { reserve: { shard: 0, amount: 600 } });
    expect(result).toEqual({
      covered: true,
      shards: [
        { shard: 0, balance: 700 + 110, reserved: 700 },
        { shard: 1, balance: 110, reserved: 0 },
        { shard: 2, balance: 20 + 110, reserved: 20 },
      ],
    });
    if (result.covered) {
      expect(total(result.shards)).toBe(total(shards));
      expect(result.shards.every((shard) => shard.reserved <= shard.balance && shard.reserved >= 0)).toBe(
        true,
      );
    }
  });

  it('refuses a reservation the whole float cannot cover', () => {
    const shards = [
      { shard: 0, balance: 10, reserved: 5 },
      { shard: 1, balance: 10, reserved: 10 },
    ];
    expect(rebalanceShards(shards, { reserve: { shard: 1, amount: 6 } })).toEqual({ covered: false });
    expect(rebalanceShards(shards, { reserve: { shard: 1, amount: 5 } })).toMatchObject({ covered: true });
  });

  it('spreads a top-up across the shards', () => {
    const result = rebalanceShards(
      [
        { shard: 1, balance: 0, reserved: 0 },
        { shard: 0, balance: 7, reserved: 7 },
      ],
      { topUp: 5 },
    );
    expect(result).toEqual({
      covered: true,
      shards: [
        { shard: 0, balance: 10, reserved: 7 },
        { shard: 1, balance: 2, reserved: 0 },
      ],
    });
  });
});
