import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { EventEnvelope } from '@scholarpay/contracts';

/** An event written in the same transaction as the state change it announces, waiting for the relay. */
@Entity('outbox_events')
@Index('outbox_events_unsent_idx', ['seq'], { where: 'sent_at IS NULL' })
export class OutboxEventEntity {
  /** Commit-independent order of insertion; the relay publishes in this order. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  seq: string;

  @Column({ type: 'uuid', unique: true })
  eventId: string;

  @Column({ type: 'text' })
  topic: string;

  @Column({ type: 'text' })
  messageKey: string;

  @Column({ type: 'text' })
  eventType: string;

  @Column({ type: 'jsonb' })
  envelope: EventEnvelope;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt: Date | null;
}

/** Events a consumer has applied; written in the same transaction as the handler's effects. */
@Entity('inbox_events')
export class InboxEventEntity {
  @PrimaryColumn({ type: 'text' })
  consumer: string;

  @PrimaryColumn({ type: 'uuid' })
  eventId: string;

  @Column({ type: 'text' })
  eventType: string;

  @Column({ type: 'text' })
  topic: string;

  @Column({ type: 'int' })
  partition: number;

  @Column({ type: 'bigint' })
  offset: string;

  @CreateDateColumn({ type: 'timestamptz' })
  processedAt: Date;
}

export const messagingEntities = [OutboxEventEntity, InboxEventEntity];
