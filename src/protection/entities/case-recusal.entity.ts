import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A user who must not see a case: its subject is them, or their registered close relative. */
@Entity('case_recusals')
@Index(['userId'])
export class CaseRecusal {
  @PrimaryColumn({ type: 'integer' })
  caseId: number;

  @PrimaryColumn({ type: 'integer' })
  userId: number;

  @Column({ type: 'varchar', length: 10 })
  reason: 'subject' | 'relative';

  @Column({ type: 'integer', nullable: true })
  registrationId: number | null;
}
