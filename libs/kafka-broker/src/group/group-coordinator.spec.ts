import { silentLogger } from '../logger';
import { ErrorCode } from '../protocol/error-codes';
import { JoinResult } from './group';
import { GroupCoordinator, JoinRequest } from './group-coordinator';
import { canTransition, GROUP_TRANSITIONS, IllegalGroupTransitionError } from './group-state';
import { Group } from './group';
import { OffsetStore } from './offset-store';

function coordinator(over: Partial<ConstructorParameters<typeof GroupCoordinator>[0]> = {}): GroupCoordinator {
  const c = new GroupCoordinator(
    {
      minSessionTimeoutMs: 100,
      maxSessionTimeoutMs: 600000,
      initialRebalanceDelayMs: 0,
      offsetsRetentionMs: -1,
      maxMetadataSize: 4096,
      logger: silentLogger,
      partitionExists: () => true,
      ...over,
    },
    new OffsetStore(null, silentLogger),
  );
  c.start();
  return c;
}

const meta = (s: string): Buffer => Buffer.from(s);

function req(memberId = '', over: Partial<JoinRequest> = {}): JoinRequest {
  return {
    groupId: 'g',
    memberId,
    groupInstanceId: null,
    clientId: 'c',
    clientHost: '/127.0.0.1',
    sessionTimeoutMs: 1000,
    rebalanceTimeoutMs: 5000,
    protocolType: 'consumer',
    protocols: [{ name: 'RoundRobinAssigner', metadata: meta(memberId || 'new') }],
    ...over,
  };
}

async function stableGroupOf(c: GroupCoordinator, n: number): Promise<JoinResult[]> {
  const first = await c.join(req());
  let members = [first];
  for (let i = 1; i < n; i++) {
    const joins = [c.join(req()), ...members.map((m) => c.join(req(m.memberId)))];
    members = await Promise.all(joins);
  }
  const leader = members.find((m) => m.memberId === m.leaderId) as JoinResult;
  const assignments = new Map(members.map((m) => [m.memberId, meta(`assign-${m.memberId}`)]));
  await Promise.all(members.map((m) => c.sync('g', m.generationId, m.memberId, m === leader ? assignments : new Map())));
  return members;
}

describe('group state table', () => {
  it('allows exactly Kafka\'s transitions', () => {
    expect(canTransition('Empty', 'PreparingRebalance')).toBe(true);
    expect(canTransition('PreparingRebalance', 'CompletingRebalance')).toBe(true);
    expect(canTransition('CompletingRebalance', 'Stable')).toBe(true);
    expect(canTransition('Stable', 'PreparingRebalance')).toBe(true);
    expect(canTransition('PreparingRebalance', 'Empty')).toBe(true);
    expect(canTransition('Empty', 'Stable')).toBe(false);
    expect(canTransition('Stable', 'CompletingRebalance')).toBe(false);
    expect(canTransition('Dead', 'Empty')).toBe(false);
    for (const from of Object.keys(GROUP_TRANSITIONS)) expect(canTransition(from as never, 'Dead')).toBe(true);
  });

  it('refuses an illegal transition in one place', () => {
    const g = new Group('x');
    expect(() => g.transitionTo('Stable')).toThrow(IllegalGroupTransitionError);
  });
});

describe('group coordinator', () => {
  let c: GroupCoordinator;
  afterEach(() => c.stop());

  it('forms a group: member id assigned, leader gets all metadata, followers none', async () => {
    c = coordinator();
    const [a, b] = await stableGroupOf(c, 2);
    expect(a.memberId).toMatch(/^c-/);
    expect(a.generationId).toBe(2);
    expect(b.generationId).toBe(2);
    const leader = [a, b].find((m) => m.memberId === m.leaderId) as JoinResult;
    const follower = [a, b].find((m) => m !== leader) as JoinResult;
    expect(leader.members).toHaveLength(2);
    expect(follower.members).toHaveLength(0);
    expect(c.describe('g')?.state).toBe('Stable');
  });

  it('follower sync waits for the leader; a member without assignment gets empty bytes', async () => {
    c = coordinator();
    const a = await c.join(req());
    const [b, a2] = await Promise.all([c.join(req()), c.join(req(a.memberId))]);
    const follower = [a2, b].find((m) => m.memberId !== m.leaderId) as JoinResult;
    const leader = [a2, b].find((m) => m.memberId === m.leaderId) as JoinResult;
    let followerDone = false;
    const fSync = c.sync('g', follower.generationId, follower.memberId, new Map()).then((r) => {
      followerDone = true;
      return r;
    });
    await new Promise((r) => setImmediate(r));
    expect(followerDone).toBe(false);
    const lSync = await c.sync('g', leader.generationId, leader.memberId, new Map([[leader.memberId, meta('L')]]));
    const f = await fSync;
    expect(lSync.assignment.toString()).toBe('L');
    expect(f.errorCode).toBe(ErrorCode.NONE);
    expect(f.assignment).toHaveLength(0);
  });

  it('tells members of a rebalance through heartbeat, checks generation and member id', async () => {
    c = coordinator();
    const [a] = await stableGroupOf(c, 1);
    expect(c.heartbeat('g', a.generationId, a.memberId)).toBe(ErrorCode.NONE);
    expect(c.heartbeat('g', a.generationId - 1, a.memberId)).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(c.heartbeat('g', a.generationId, 'nobody')).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    const joining = c.join(req());
    expect(c.heartbeat('g', a.generationId, a.memberId)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const [b, a2] = await Promise.all([joining, c.join(req(a.memberId))]);
    expect(a2.generationId).toBe(a.generationId + 1);
    expect(b.generationId).toBe(a2.generationId);
  });

  it('rebalances when a member leaves, and becomes Empty when the last one leaves', async () => {
    c = coordinator();
    const [a, b] = await stableGroupOf(c, 2);
    expect(c.leave('g', [b.memberId]).members[0].errorCode).toBe(ErrorCode.NONE);
    expect(c.describe('g')?.state).toBe('PreparingRebalance');
    const a2 = await c.join(req(a.memberId));
    expect(a2.members.map((m) => m.memberId)).toEqual([a.memberId]);
    c.leave('g', [a.memberId]);
    expect(c.describe('g')?.state).toBe('Empty');
    expect(c.leave('g', ['ghost']).members[0].errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('drops a member that misses its session timeout and rebalances the rest', async () => {
    jest.useFakeTimers();
    try {
      c = coordinator();
      const [a, b] = await stableGroupOf(c, 2);
      // Only a keeps heartbeating.
      for (let t = 0; t < 15; t++) {
        jest.advanceTimersByTime(100);
        c.heartbeat('g', a.generationId, a.memberId);
      }
      expect(c.describe('g')?.members.map((m) => m.memberId)).toEqual([a.memberId]);
      expect(c.heartbeat('g', b.generationId, b.memberId)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
      expect(c.heartbeat('g', a.generationId, a.memberId)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    } finally {
      jest.useRealTimers();
    }
  });

  it('completes the join without members that do not rejoin within the rebalance timeout', async () => {
    jest.useFakeTimers();
    try {
      c = coordinator();
      const [a, b] = await stableGroupOf(c, 2);
      const newcomer = c.join(req('', { rebalanceTimeoutMs: 5000 }));
      const aRejoin = c.join(req(a.memberId));
      // b keeps heartbeating (alive) but never rejoins.
      for (let t = 0; t < 60; t++) {
        jest.advanceTimersByTime(100);
        c.heartbeat('g', b.generationId, b.memberId);
      }
      const [n, a2] = await Promise.all([newcomer, aRejoin]);
      expect(n.errorCode).toBe(ErrorCode.NONE);
      expect(a2.generationId).toBe(n.generationId);
      expect(c.describe('g')?.members).toHaveLength(2);
      expect(c.heartbeat('g', b.generationId, b.memberId)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    } finally {
      jest.useRealTimers();
    }
  });

  it('checks generation and member on commit; keeps offsets when the group empties', async () => {
    c = coordinator();
    const [a] = await stableGroupOf(c, 1);
    const entry = [{ topic: 't', partition: 0, offset: 42, metadata: null }];
    expect(await c.commitOffsets('g', a.generationId, a.memberId, entry)).toEqual([ErrorCode.NONE]);
    expect(await c.commitOffsets('g', a.generationId + 1, a.memberId, entry)).toEqual([ErrorCode.ILLEGAL_GENERATION]);
    expect(await c.commitOffsets('g', a.generationId, 'ghost', entry)).toEqual([ErrorCode.UNKNOWN_MEMBER_ID]);
    c.leave('g', [a.memberId]);
    expect(c.describe('g')?.state).toBe('Empty');
    expect(c.offsets.get('g', 't', 0)?.offset).toBe(42);
    // Admin-style commit (generation -1) is allowed on an empty group.
    expect(await c.commitOffsets('g', -1, '', [{ ...entry[0], offset: 7 }])).toEqual([ErrorCode.NONE]);
    expect(c.offsets.get('g', 't', 0)?.offset).toBe(7);
  });

  it('refuses commits while the group completes a rebalance', async () => {
    c = coordinator();
    const a = await c.join(req());
    const codes = await c.commitOffsets('g', a.generationId, a.memberId, [{ topic: 't', partition: 0, offset: 1, metadata: null }]);
    expect(codes).toEqual([ErrorCode.REBALANCE_IN_PROGRESS]);
  });

  it('refuses bad session timeouts and inconsistent protocols', async () => {
    c = coordinator();
    expect((await c.join(req('', { sessionTimeoutMs: 10 }))).errorCode).toBe(ErrorCode.INVALID_SESSION_TIMEOUT);
    await stableGroupOf(c, 1);
    const other = await c.join(req('', { protocols: [{ name: 'other', metadata: meta('') }] }));
    expect(other.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect((await c.join(req('unknown-id'))).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('picks the protocol all members support and most prefer', async () => {
    c = coordinator();
    const p = (...names: string[]) => names.map((name) => ({ name, metadata: meta(name) }));
    const a = await c.join(req('', { protocols: p('x', 'y') }));
    const [b, a2] = await Promise.all([c.join(req('', { protocols: p('y', 'x') })), c.join(req(a.memberId, { protocols: p('x', 'y') }))]);
    expect(['x', 'y']).toContain(a2.protocolName);
    expect(b.protocolName).toBe(a2.protocolName);
    const [d, a3, b3] = await Promise.all([
      c.join(req('', { protocols: p('y') })),
      c.join(req(a.memberId, { protocols: p('x', 'y') })),
      c.join(req(b.memberId, { protocols: p('y', 'x') })),
    ]);
    expect([d, a3, b3].map((r) => r.protocolName)).toEqual(['y', 'y', 'y']);
  });

  it('passes member metadata bytes to the leader unchanged and lists groups with Kafka state names', async () => {
    c = coordinator();
    const [a] = await stableGroupOf(c, 1);
    expect(a.members[0].metadata.toString()).toBe('new');
    expect(c.list()).toEqual([{ groupId: 'g', protocolType: 'consumer', state: 'Stable' }]);
    expect(await c.deleteGroup('g')).toBe(ErrorCode.NON_EMPTY_GROUP);
    c.leave('g', [a.memberId]);
    expect(await c.deleteGroup('g')).toBe(ErrorCode.NONE);
    expect(await c.deleteGroup('g')).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
  });
});
