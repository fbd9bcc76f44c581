import { AppError } from '@scholarpay/platform';
import { EventTypes } from '@scholarpay/contracts';

export type AwardStatus = 'active' | 'suspended' | 'revoked';
export type AwardTransition = 'grant' | 'suspend' | 'reinstate' | 'revoke';

type AwardEventType =
  | typeof EventTypes.scholarshipAwarded
  | typeof EventTypes.scholarshipSuspended
  | typeof EventTypes.scholarshipReinstated
  | typeof EventTypes.scholarshipRevoked;

/**
 * The one table of award transitions. `none` is "no award yet". Revoked is final: a revoked award
 * never comes back (a student who becomes eligible again later gets a new award, if places and
 * budget allow). Every transition publishes its event, keyed by student id.
 */
export const awardTransitions: Readonly<
  Record<AwardTransition, { from: readonly (AwardStatus | 'none')[]; to: AwardStatus; event: AwardEventType }>
> = {
  grant: { from: ['none'], to: 'active', event: EventTypes.scholarshipAwarded },
  suspend: { from: ['active'], to: 'suspended', event: EventTypes.scholarshipSuspended },
  reinstate: { from: ['suspended'], to: 'active', event: EventTypes.scholarshipReinstated },
  revoke: { from: ['active', 'suspended'], to: 'revoked', event: EventTypes.scholarshipRevoked },
};

export class AwardStateMachine {
  /** The status after `transition`, or an error naming the illegal move. */
  static next(from: AwardStatus | 'none', transition: AwardTransition): AwardStatus {
    const rule = awardTransitions[transition];
    if (!rule.from.includes(from)) {
      throw AppError.conflict(
        'AWARD.ILLEGAL_TRANSITION',
        `an award cannot ${transition} from ${from === 'none' ? 'no award' : `status ${from}`}; allowed from: ${rule.from.join(', ')}`,
        { from, transition },
      );
    }
    return rule.to;
  }

  static eventOf(transition: AwardTransition): AwardEventType {
    return awardTransitions[transition].event;
  }

  static isLive(status: AwardStatus): boolean {
    return status !== 'revoked';
  }
}
