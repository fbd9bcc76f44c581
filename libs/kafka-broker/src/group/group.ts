import { assertTransition, GroupState } from './group-state';

export interface MemberProtocol {
  name: string;
  metadata: Buffer;
}

export interface JoinResult {
  errorCode: number;
  generationId: number;
  protocolName: string;
  leaderId: string;
  memberId: string;
  members: Array<{ memberId: string; groupInstanceId: string | null; metadata: Buffer }>;
}

export interface SyncResult {
  errorCode: number;
  assignment: Buffer;
}

export class Member {
  joinCallback: ((r: JoinResult) => void) | null = null;
  syncCallback: ((r: SyncResult) => void) | null = null;
  assignment: Buffer = Buffer.alloc(0);
  /** Session expiry time (ms since epoch). */
  deadline = 0;
  isNew = true;

  constructor(
    readonly memberId: string,
    readonly groupInstanceId: string | null,
    public clientId: string,
    public clientHost: string,
    public sessionTimeoutMs: number,
    public rebalanceTimeoutMs: number,
    public protocolType: string,
    public protocols: MemberProtocol[],
  ) {}

  get awaiting(): boolean {
    return this.joinCallback !== null || this.syncCallback !== null;
  }

  metadataFor(protocol: string): Buffer {
    return this.protocols.find((p) => p.name === protocol)?.metadata ?? Buffer.alloc(0);
  }

  /** Same protocols, same metadata bytes, same order. */
  matches(protocols: MemberProtocol[]): boolean {
    if (protocols.length !== this.protocols.length) return false;
    return protocols.every((p, i) => p.name === this.protocols[i].name && p.metadata.equals(this.protocols[i].metadata));
  }

  /** First of this member's protocols, in its order of preference, that is in `candidates`. */
  vote(candidates: Set<string>): string {
    const p = this.protocols.find((x) => candidates.has(x.name));
    return p ? p.name : this.protocols[0].name;
  }
}

/** One consumer group's membership and generation. Offsets live in the OffsetStore. */
export class Group {
  state: GroupState = 'Empty';
  generationId = 0;
  protocolType: string | null = null;
  protocolName: string | null = null;
  leaderId: string | null = null;
  readonly members = new Map<string, Member>();
  joinTimer: NodeJS.Timeout | null = null;
  /** When the initial-rebalance delay is running, joins do not complete early. */
  initialDelayActive = false;
  emptySince = Date.now();

  constructor(readonly groupId: string) {}

  transitionTo(to: GroupState): void {
    assertTransition(this.groupId, this.state, to);
    this.state = to;
    if (to === 'Empty') this.emptySince = Date.now();
  }

  is(state: GroupState): boolean {
    return this.state === state;
  }

  get size(): number {
    return this.members.size;
  }

  add(member: Member): void {
    if (this.members.size === 0) this.protocolType = member.protocolType;
    this.members.set(member.memberId, member);
    if (this.leaderId === null) this.leaderId = member.memberId;
  }

  remove(memberId: string): void {
    this.members.delete(memberId);
    if (this.leaderId === memberId) {
      const next = this.members.keys().next();
      this.leaderId = next.done ? null : next.value;
    }
  }

  allJoined(): boolean {
    for (const m of this.members.values()) if (m.joinCallback === null) return false;
    return true;
  }

  /** Protocols every member supports. */
  candidateProtocols(): Set<string> {
    let common: Set<string> | null = null;
    for (const m of this.members.values()) {
      const names = new Set(m.protocols.map((p) => p.name));
      if (common === null) {
        common = names;
      } else {
        const prev: Set<string> = common;
        common = new Set([...prev].filter((n) => names.has(n)));
      }
    }
    return common ?? new Set();
  }

  /** Whether a member with these protocols may join (Kafka's supportsProtocols). */
  supportsProtocols(protocolType: string, protocols: MemberProtocol[]): boolean {
    if (this.members.size === 0) return protocolType.length > 0 && protocols.length > 0;
    if (protocolType !== this.protocolType) return false;
    const common = this.candidateProtocols();
    return protocols.some((p) => common.has(p.name));
  }

  /** The protocol most members prefer among those all support. */
  selectProtocol(): string {
    const candidates = this.candidateProtocols();
    const votes = new Map<string, number>();
    for (const m of this.members.values()) {
      const v = m.vote(candidates);
      votes.set(v, (votes.get(v) ?? 0) + 1);
    }
    let best = '';
    let bestVotes = -1;
    for (const [name, n] of votes) {
      if (n > bestVotes) {
        best = name;
        bestVotes = n;
      }
    }
    return best;
  }

  rebalanceTimeoutMs(): number {
    let t = 0;
    for (const m of this.members.values()) t = Math.max(t, m.rebalanceTimeoutMs);
    return t;
  }
}
