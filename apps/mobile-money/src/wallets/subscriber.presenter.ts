import type { SubscriberView } from './subscriber.repository';

export interface SubscriberJson {
  msisdn: string;
  kycLevel: number;
  blocked: boolean;
  balance: { value: number; unit: 'XOF' };
  creditedToday: { value: number; unit: 'XOF' };
  createdBy: string;
  updatedBy: string;
  createdAt: string;
  updatedAt: string;
}

export function presentSubscriber(subscriber: SubscriberView, today: string): SubscriberJson {
  return {
    msisdn: subscriber.msisdn,
    kycLevel: subscriber.kycLevel,
    blocked: subscriber.blocked,
    balance: { value: subscriber.balance, unit: 'XOF' },
    creditedToday: {
      value: subscriber.dailyCreditDate === today ? subscriber.dailyCreditTotal : 0,
      unit: 'XOF',
    },
    createdBy: subscriber.createdBy,
    updatedBy: subscriber.updatedBy,
    createdAt: subscriber.createdAt.toISOString(),
    updatedAt: subscriber.updatedAt.toISOString(),
  };
}
