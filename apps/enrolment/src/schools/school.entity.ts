import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A school that enrols scholars (an école de santé). Its code is how CSV files name it. */
@Entity('schools')
export class SchoolEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text' })
  code: string;

  @Column({ type: 'text' })
  name: string;

  /** The name folded (no accents, lower case): a CSV may name the school instead of giving its code. */
  @Column({ type: 'text' })
  searchName: string;

  @Column({ type: 'text' })
  region: string;

  @Column({ type: 'text' })
  city: string;

  @Column({ type: 'text' })
  createdBy: string;

  @Column({ type: 'timestamptz' })
  createdAt: Date;
}
