import { randomUUID } from 'node:crypto';
import { BrokerLogger } from '../logger';
import { ErrorCode } from '../protocol/error-codes';
import { Group, JoinResult, Member, MemberProtocol, SyncResult } from './group';
import { GroupState } from './group-state';
import { OffsetCommitEntry, OffsetStore } from './offset-store';

export interface GroupCoordinatorOptions {
  minSessionTimeoutMs: number;
  maxSessionTimeoutMs: number;
  initialRebalanceDelayMs: number;
  offsetsRetentionMs: number;
  maxMetadataSize: number;
  logger: BrokerLogger;
  /** Whether a topic partition exists (OffsetCommit answers UNKNOWN_TOPIC_OR_PARTITION otherwise). */
  partitionExists: (topic: string, partition: number) => boolean;
}

export interface JoinRequest {
  groupId: string;
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: MemberProtocol[];
}

export interface GroupSummary {
  groupId: string;
  state: GroupState;
  protocolType: string;
  protocolName: string;
  members: Array<{
    memberId: string;
    groupInstanceId: string | null;
    clientId: string;
    clientHost: string;
    metadata: Buffer;
    assignment: Buffer;
  }>;
}

const SWEEP_MS = 100;

function joinError(memberId: string, errorCode: number): JoinResult {
  return { errorCode, generationId: -1, protocolName: '', leaderId: '', memberId, members: [] };
}

/**
 * Kafka's group coordinator for one broker: membership, generations and rebalances (joins held
 * open until every known member rejoins or the rebalance timeout passes), session expiry, and
 * offset commits checked against generation and member id.
 */
export class GroupCoordinator {
  private readonly groups = new Map<string, Group>();
  private sweepTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly opts: GroupCoordinatorOptions,
    readonly offsets: OffsetStore,
  ) {}

  start(): void {
    for (const g of this.offsets.groupIds()) this.groups.set(g, new Group(g));
    this.sweepTimer = setInterval(() => this.guard('session sweep', () => this.sweep(Date.now())), SWEEP_MS);
    this.sweepTimer.unref();
  }

  stop(): void {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
    for (const g of this.groups.values()) {
      if (g.joinTimer) clearTimeout(g.joinTimer);
      g.joinTimer = null;
      for (const m of g.members.values()) {
        m.joinCallback?.(joinError(m.memberId, ErrorCode.COORDINATOR_NOT_AVAILABLE));
        m.syncCallback?.({ errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, assignment: Buffer.alloc(0) });
        m.joinCallback = null;
        m.syncCallback = null;
      }
    }
  }

  /** Timer callbacks must never throw into the event loop: log and carry on. */
  private guard(what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.opts.logger.error({ err: err instanceof Error ? err.stack : String(err), what }, 'group coordinator error');
    }
  }

  group(groupId: string): Group | undefined {
    return this.groups.get(groupId);
  }

  // ---------------------------------------------------------------- JoinGroup

  join(req: JoinRequest): Promise<JoinResult> {
    return new Promise((resolve) => this.doJoin(req, resolve));
  }

  private doJoin(req: JoinRequest, respond: (r: JoinResult) => void): void {
    const { groupId, memberId } = req;
    if (!groupId) return respond(joinError(memberId, ErrorCode.INVALID_GROUP_ID));
    if (req.sessionTimeoutMs < this.opts.minSessionTimeoutMs || req.sessionTimeoutMs > this.opts.maxSessionTimeoutMs) {
      return respond(joinError(memberId, ErrorCode.INVALID_SESSION_TIMEOUT));
    }
    let group = this.groups.get(groupId);
    if (!group) {
      if (memberId !== '') return respond(joinError(memberId, ErrorCode.UNKNOWN_MEMBER_ID));
      group = new Group(groupId);
      this.groups.set(groupId, group);
    }
    if (group.is('Dead')) return respond(joinError(memberId, ErrorCode.COORDINATOR_NOT_AVAILABLE));
    if (!group.supportsProtocols(req.protocolType, req.protocols)) {
      return respond(joinError(memberId, ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    }

    if (memberId === '') {
      const id = `${req.clientId}-${randomUUID()}`;
      const member = new Member(
        id,
        req.groupInstanceId,
        req.clientId,
        req.clientHost,
        req.sessionTimeoutMs,
        req.rebalanceTimeoutMs,
        req.protocolType,
        req.protocols,
      );
      member.joinCallback = respond;
      member.deadline = Date.now() + req.sessionTimeoutMs;
      group.add(member);
      this.opts.logger.debug({ groupId, memberId: id, state: group.state }, 'member joining');
      if (group.is('PreparingRebalance')) this.tryCompleteJoin(group);
      else this.prepareRebalance(group, `new member ${id} joined`);
      return;
    }

    const member = group.members.get(memberId);
    if (!member) return respond(joinError(memberId, ErrorCode.UNKNOWN_MEMBER_ID));
    switch (group.state) {
      case 'PreparingRebalance':
        this.updateMember(member, req, respond);
        this.tryCompleteJoin(group);
        return;
      case 'CompletingRebalance':
        if (member.matches(req.protocols)) {
          // A rejoin with nothing new (the JoinGroup answer was lost): answer with this generation.
          respond(this.joinResultFor(group, member));
        } else {
          this.updateMember(member, req, respond);
          this.prepareRebalance(group, `member ${memberId} changed its protocols`);
        }
        return;
      case 'Stable':
        if (memberId === group.leaderId || !member.matches(req.protocols)) {
          // The leader rejoins when its subscription's metadata changed: rebalance.
          this.updateMember(member, req, respond);
          this.prepareRebalance(group, `leader or changed member ${memberId} rejoined`);
        } else {
          respond(this.joinResultFor(group, member));
        }
        return;
      case 'Empty':
      case 'Dead':
        respond(joinError(memberId, ErrorCode.UNKNOWN_MEMBER_ID));
        return;
    }
  }

  private updateMember(member: Member, req: JoinRequest, respond: (r: JoinResult) => void): void {
    member.protocols = req.protocols;
    member.sessionTimeoutMs = req.sessionTimeoutMs;
    member.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
    member.clientId = req.clientId;
    member.clientHost = req.clientHost;
    if (member.joinCallback && member.joinCallback !== respond) {
      // A second JoinGroup from the same member replaces the first, which gets an error.
      member.joinCallback(joinError(member.memberId, ErrorCode.REBALANCE_IN_PROGRESS));
    }
    member.joinCallback = respond;
  }

  private joinResultFor(group: Group, member: Member): JoinResult {
    const protocol = group.protocolName ?? '';
    const isLeader = member.memberId === group.leaderId;
    return {
      errorCode: ErrorCode.NONE,
      generationId: group.generationId,
      protocolName: protocol,
      leaderId: group.leaderId ?? '',
      memberId: member.memberId,
      members: isLeader
        ? [...group.members.values()].map((m) => ({
            memberId: m.memberId,
            groupInstanceId: m.groupInstanceId,
            metadata: m.metadataFor(protocol),
          }))
        : [],
    };
  }

  private prepareRebalance(group: Group, reason: string): void {
    if (group.is('CompletingRebalance')) this.failPendingSyncs(group, ErrorCode.REBALANCE_IN_PROGRESS);
    const wasEmpty = group.is('Empty');
    group.transitionTo('PreparingRebalance');
    if (group.joinTimer) clearTimeout(group.joinTimer);
    const rebalanceTimeout = group.rebalanceTimeoutMs();
    this.opts.logger.info({ groupId: group.groupId, generationId: group.generationId, reason }, 'preparing rebalance');
    if (wasEmpty && this.opts.initialRebalanceDelayMs > 0) {
      // Kafka's InitialDelayedJoin: give the other members of a starting group time to arrive.
      group.initialDelayActive = true;
      const delay = Math.min(this.opts.initialRebalanceDelayMs, rebalanceTimeout);
      group.joinTimer = setTimeout(
        () =>
          this.guard('initial rebalance delay', () => {
            group.joinTimer = null;
            group.initialDelayActive = false;
            if (group.allJoined()) this.completeJoin(group);
            else this.armJoinTimer(group, Math.max(rebalanceTimeout - delay, 0));
          }),
        delay,
      );
      group.joinTimer.unref();
      return;
    }
    group.initialDelayActive = false;
    this.armJoinTimer(group, rebalanceTimeout);
    this.tryCompleteJoin(group);
  }

  private armJoinTimer(group: Group, ms: number): void {
    if (group.joinTimer) clearTimeout(group.joinTimer);
    group.joinTimer = setTimeout(
      () =>
        this.guard('rebalance timeout', () => {
          group.joinTimer = null;
          if (group.is('PreparingRebalance')) this.completeJoin(group);
        }),
      ms,
    );
    group.joinTimer.unref();
  }

  private tryCompleteJoin(group: Group): void {
    if (group.is('PreparingRebalance') && !group.initialDelayActive && group.allJoined()) this.completeJoin(group);
  }

  /** Ends the join phase: members that did not rejoin are dropped, a new generation starts. */
  private completeJoin(group: Group): void {
    if (group.joinTimer) clearTimeout(group.joinTimer);
    group.joinTimer = null;
    group.initialDelayActive = false;
    for (const m of [...group.members.values()]) {
      if (m.joinCallback === null) {
        this.opts.logger.info({ groupId: group.groupId, memberId: m.memberId }, 'member did not rejoin in time: removed');
        group.remove(m.memberId);
      }
    }
    group.generationId++;
    if (group.size === 0) {
      group.protocolName = null;
      group.transitionTo('Empty');
      this.opts.logger.info({ groupId: group.groupId, generationId: group.generationId }, 'group is empty');
      return;
    }
    group.protocolName = group.selectProtocol();
    if (group.leaderId === null || !group.members.has(group.leaderId)) group.leaderId = group.members.keys().next().value ?? null;
    group.transitionTo('CompletingRebalance');
    const now = Date.now();
    this.opts.logger.info(
      { groupId: group.groupId, generationId: group.generationId, members: group.size, protocol: group.protocolName },
      'rebalance: join complete',
    );
    for (const m of group.members.values()) {
      const cb = m.joinCallback;
      m.joinCallback = null;
      m.isNew = false;
      m.deadline = now + m.sessionTimeoutMs;
      cb?.(this.joinResultFor(group, m));
    }
  }

  private failPendingSyncs(group: Group, errorCode: number): void {
    for (const m of group.members.values()) {
      m.assignment = Buffer.alloc(0);
      const cb = m.syncCallback;
      m.syncCallback = null;
      cb?.({ errorCode, assignment: Buffer.alloc(0) });
    }
  }

  // ---------------------------------------------------------------- SyncGroup

  sync(groupId: string, generationId: number, memberId: string, assignments: Map<string, Buffer>): Promise<SyncResult> {
    return new Promise((resolve) => {
      const fail = (errorCode: number): void => resolve({ errorCode, assignment: Buffer.alloc(0) });
      const group = this.groups.get(groupId);
      if (!group) return fail(ErrorCode.UNKNOWN_MEMBER_ID);
      if (group.is('Dead')) return fail(ErrorCode.COORDINATOR_NOT_AVAILABLE);
      const member = group.members.get(memberId);
      if (!member) return fail(ErrorCode.UNKNOWN_MEMBER_ID);
      if (generationId !== group.generationId) return fail(ErrorCode.ILLEGAL_GENERATION);
      switch (group.state) {
        case 'Empty':
          return fail(ErrorCode.UNKNOWN_MEMBER_ID);
        case 'PreparingRebalance':
          return fail(ErrorCode.REBALANCE_IN_PROGRESS);
        case 'CompletingRebalance': {
          if (member.syncCallback) member.syncCallback({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: Buffer.alloc(0) });
          member.syncCallback = resolve;
          member.deadline = Date.now() + member.sessionTimeoutMs;
          if (memberId === group.leaderId) {
            for (const m of group.members.values()) m.assignment = assignments.get(m.memberId) ?? Buffer.alloc(0);
            group.transitionTo('Stable');
            this.opts.logger.info({ groupId, generationId }, 'rebalance: group stable');
            for (const m of group.members.values()) {
              const cb = m.syncCallback;
              m.syncCallback = null;
              cb?.({ errorCode: ErrorCode.NONE, assignment: m.assignment });
            }
          }
          return;
        }
        case 'Stable':
          member.deadline = Date.now() + member.sessionTimeoutMs;
          return resolve({ errorCode: ErrorCode.NONE, assignment: member.assignment });
        default:
          return fail(ErrorCode.UNKNOWN_MEMBER_ID);
      }
    });
  }

  // ---------------------------------------------------------------- Heartbeat

  heartbeat(groupId: string, generationId: number, memberId: string): number {
    const group = this.groups.get(groupId);
    if (!group) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (group.is('Dead')) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (group.is('Empty')) return ErrorCode.UNKNOWN_MEMBER_ID;
    const member = group.members.get(memberId);
    if (!member) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    member.deadline = Date.now() + member.sessionTimeoutMs;
    return group.is('PreparingRebalance') ? ErrorCode.REBALANCE_IN_PROGRESS : ErrorCode.NONE;
  }

  // ---------------------------------------------------------------- LeaveGroup

  /** Top-level error, then one error per member. */
  leave(groupId: string, memberIds: string[]): { errorCode: number; members: Array<{ memberId: string; errorCode: number }> } {
    const group = this.groups.get(groupId);
    if (!group) return { errorCode: ErrorCode.UNKNOWN_MEMBER_ID, members: [] };
    if (group.is('Dead')) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, members: [] };
    const members = memberIds.map((memberId) => {
      const m = group.members.get(memberId);
      if (!m) return { memberId, errorCode: ErrorCode.UNKNOWN_MEMBER_ID };
      this.removeMember(group, m, 'left the group');
      return { memberId, errorCode: ErrorCode.NONE };
    });
    return { errorCode: ErrorCode.NONE, members };
  }

  private removeMember(group: Group, member: Member, reason: string): void {
    this.opts.logger.info({ groupId: group.groupId, memberId: member.memberId, reason }, 'member removed');
    const join = member.joinCallback;
    const sync = member.syncCallback;
    member.joinCallback = null;
    member.syncCallback = null;
    group.remove(member.memberId);
    join?.(joinError(member.memberId, ErrorCode.UNKNOWN_MEMBER_ID));
    sync?.({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, assignment: Buffer.alloc(0) });
    switch (group.state) {
      case 'Stable':
      case 'CompletingRebalance':
        this.prepareRebalance(group, `member ${member.memberId} ${reason}`);
        break;
      case 'PreparingRebalance':
        this.tryCompleteJoin(group);
        if (group.is('PreparingRebalance') && group.size === 0 && !group.initialDelayActive) this.completeJoin(group);
        break;
      case 'Empty':
      case 'Dead':
        break;
    }
  }

  /** Session expiry and offset retention. */
  sweep(now: number): void {
    for (const group of [...this.groups.values()]) {
      for (const m of [...group.members.values()]) {
        if (m.awaiting) continue;
        if (now > m.deadline) this.removeMember(group, m, `missed its session timeout (${m.sessionTimeoutMs} ms)`);
      }
      if (group.is('Empty') && this.opts.offsetsRetentionMs >= 0 && now - group.emptySince > this.opts.offsetsRetentionMs) {
        group.transitionTo('Dead');
        this.groups.delete(group.groupId);
        this.offsets.deleteGroup(group.groupId).catch(() => undefined);
      }
    }
  }

  // ---------------------------------------------------------------- Offsets

  /** Returns one error code per entry, after the commit is durable. */
  async commitOffsets(
    groupId: string,
    generationId: number,
    memberId: string,
    entries: OffsetCommitEntry[],
  ): Promise<number[]> {
    const all = (code: number): number[] => entries.map(() => code);
    if (!groupId) return all(ErrorCode.INVALID_GROUP_ID);
    let group = this.groups.get(groupId);
    if (!group) {
      if (generationId >= 0) return all(ErrorCode.ILLEGAL_GENERATION);
      group = new Group(groupId); // a group used only to store offsets
      this.groups.set(groupId, group);
    } else if (group.is('Dead')) {
      return all(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    } else if (!(generationId < 0 && group.is('Empty'))) {
      const member = group.members.get(memberId);
      if (!member) return all(ErrorCode.UNKNOWN_MEMBER_ID);
      if (generationId !== group.generationId) return all(ErrorCode.ILLEGAL_GENERATION);
      if (group.is('CompletingRebalance')) return all(ErrorCode.REBALANCE_IN_PROGRESS);
      member.deadline = Date.now() + member.sessionTimeoutMs;
    }
    const codes = entries.map((e) => {
      if (!this.opts.partitionExists(e.topic, e.partition)) return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
      if (e.metadata !== null && Buffer.byteLength(e.metadata) > this.opts.maxMetadataSize) return ErrorCode.OFFSET_METADATA_TOO_LARGE;
      return ErrorCode.NONE;
    });
    const ok = entries.filter((_, i) => codes[i] === ErrorCode.NONE);
    try {
      await this.offsets.commit(groupId, ok);
    } catch (err) {
      this.opts.logger.error({ groupId, err: String(err) }, 'offset commit could not be made durable');
      return all(ErrorCode.UNKNOWN_SERVER_ERROR);
    }
    return codes;
  }

  // ---------------------------------------------------------------- Admin

  describe(groupId: string): GroupSummary | null {
    const group = this.groups.get(groupId);
    if (!group) return null;
    const stable = group.is('Stable');
    const protocol = group.protocolName ?? '';
    return {
      groupId,
      state: group.state,
      protocolType: group.protocolType ?? '',
      protocolName: stable ? protocol : '',
      members: [...group.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        metadata: stable ? m.metadataFor(protocol) : Buffer.alloc(0),
        assignment: stable ? m.assignment : Buffer.alloc(0),
      })),
    };
  }

  list(): Array<{ groupId: string; protocolType: string; state: GroupState }> {
    return [...this.groups.values()]
      .filter((g) => !g.is('Dead'))
      .map((g) => ({ groupId: g.groupId, protocolType: g.protocolType ?? '', state: g.state }));
  }

  async deleteGroup(groupId: string): Promise<number> {
    const group = this.groups.get(groupId);
    if (!group || group.is('Dead')) return ErrorCode.GROUP_ID_NOT_FOUND;
    if (!group.is('Empty')) return ErrorCode.NON_EMPTY_GROUP;
    group.transitionTo('Dead');
    this.groups.delete(groupId);
    await this.offsets.deleteGroup(groupId);
    return ErrorCode.NONE;
  }

  /** Kafka drops a deleted topic's committed offsets. */
  async onTopicDeleted(topic: string): Promise<void> {
    await this.offsets.deleteTopic(topic);
  }
}
