import { INSTANT } from '../../database/engine';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** "Not a repeat": the operator looked at this pair and said no; it is not suggested again. */
@Entity('repeat_dismissals')
export class RepeatDismissal {
  @PrimaryColumn({ type: 'integer' })
  caseId: number;

  @PrimaryColumn({ type: 'integer' })
  otherId: number;

  @Column({ type: 'integer' })
  byId: number;

  @Column({ type: INSTANT })
  at: Date;
}
