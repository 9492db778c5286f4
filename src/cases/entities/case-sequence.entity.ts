import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Last case number issued per year; read and bumped inside the intake's write transaction. */
@Entity('case_sequences')
export class CaseSequence {
  @PrimaryColumn({ type: 'varchar', length: 10 })
  prefix: string;

  @PrimaryColumn({ type: 'integer' })
  year: number;

  @Column({ type: 'integer', default: 0 })
  lastValue: number;
}
