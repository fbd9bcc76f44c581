import { EventTypes } from '@scholarpay/contracts';
import { AwardStateMachine, awardTransitions } from './award.state-machine';

describe('AwardStateMachine', () => {
  it('allows exactly the transitions of its table', () => {
    const statuses = ['none', 'active', 'suspended', 'revoked'] as const;
    const allowed: string[] = [];
    for (const from of statuses) {
      for (const transition of Object.keys(awardTransitions) as (keyof typeof awardTransitions)[]) {
        try {
          allowed.push(`${from} -${transition}-> ${AwardStateMachine.next(from, transition)}`);
        } catch (error) {
          expect((error as { code?: string }).code).toBe('AWARD.ILLEGAL_TRANSITION');
        }
      }
    }
    expect(allowed.sort()).toEqual(
      [
        'none -grant-> active',
        'active -suspend-> suspended',
        'active -revoke-> revoked',
        'suspended -reinstate-> active',
        'suspended -revoke-> revoked',
      ].sort(),
    );
  });

  it('never brings a revoked award back', () => {
    expect(() => AwardStateMachine.next('revoked', 'reinstate')).toThrow(
      'an award cannot reinstate from status revoked; allowed from: suspended',
    );
  });

  it('publishes one event type per transition', () => {
    expect(AwardStateMachine.eventOf('grant')).toBe(EventTypes.scholarshipAwarded);
    expect(AwardStateMachine.eventOf('suspend')).toBe(EventTypes.scholarshipSuspended);
    expect(AwardStateMachine.eventOf('reinstate')).toBe(EventTypes.scholarshipReinstated);
    expect(AwardStateMachine.eventOf('revoke')).toBe(EventTypes.scholarshipRevoked);
  });
});
