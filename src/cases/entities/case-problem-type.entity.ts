import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { ProblemType } from '../case.enums';
import { Case } from './case.entity';

/** One row per problem type of a case, so the list can filter by type with an index. */
@Entity('case_problem_types')
@Index('IDX_case_problem_types_type_case', ['problemType', 'caseId'])
export class CaseProblemType {
  @PrimaryColumn({ type: 'integer' })
  caseId: number;

  @PrimaryColumn({ type: 'varchar', length: 30 })
  problemType: ProblemType;

  @ManyToOne(() => Case, (c) => c.problemTypeRows, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'caseId' })
  case: Case;
}
