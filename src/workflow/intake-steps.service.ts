import { ForbiddenException, Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user';
import { CaseIntakeService, CheckedIntake } from '../cases/case-intake.service';
import type { Case } from '../cases/entities/case.entity';
import { FieldError, InputInvalidException } from '../common/validation';
import { DbWriter } from '../database/db-writer.service';
import type { ActionName } from './transitions';
import { TransitionNotAllowedException } from './workflow.errors';
import { WorkflowService } from './workflow.service';

/**
 * What the intake form does after logging the call: nothing more (登记), answer a consultation on
 * the spot and close it (登记并当场解答), or, for a supervisor, accept the matter and assign it to
 * the township it is in (登记、受理并交办).
 */
export const INTAKE_STEPS = ['register', 'answer', 'accept-assign'] as const;
export type IntakeStep = (typeof INTAKE_STEPS)[number];

export function intakeStep(raw: unknown): IntakeStep {
  return (INTAKE_STEPS as readonly unknown[]).includes(raw) ? (raw as IntakeStep) : 'register';
}

/** The workflow actions of a step, with their input as WorkflowService.checkInput read it. */
export interface PlannedSteps {
  step: IntakeStep;
  actions: { action: ActionName; input: Record<string, unknown> }[];
  errors: FieldError[];
}

/** On the intake form the assign note is `assignNote` (the case has fields of its own). */
const FORM_FIELD: Record<string, string> = { note: 'assignNote' };

/**
 * Intake and the lifecycle steps that follow it, in one write transaction: the case, its history
 * entries (登记, 当场解答 or 受理 and 交办), its clocks and notices are kept together or not at all.
 * The steps are WorkflowService's own (performIn), so the rules, clocks and recusal check are
 * those of the steps taken one by one.
 */
@Injectable()
export class IntakeStepsService {
  constructor(
    private readonly writer: DbWriter,
    private readonly intake: CaseIntakeService,
    private readonly workflow: WorkflowService,
  ) {}

  /** Every problem with the step's own input, named by the intake form's fields. */
  plan(actor: AuthUser, step: IntakeStep, checked: CheckedIntake, body: Record<string, unknown>): PlannedSteps {
    const errors: FieldError[] = [];
    const actions: PlannedSteps['actions'] = [];
    const add = (action: ActionName, raw: Record<string, unknown>) => {
      const { value, errors: e } = this.workflow.checkInput(action, raw, false);
      errors.push(...e.map((x) => ({ field: FORM_FIELD[x.field] ?? x.field, message: x.message })));
      actions.push({ action, input: value });
    };
    if (step === 'answer') {
      if (checked.value.kind && checked.value.kind !== 'consultation') errors.push({ field: 'answer', message: '只有政策咨询可以当场解答并办结' });
      add('answer', { answer: body.answer });
    }
    if (step === 'accept-assign') {
      // the lifecycle lets county roles assign; doing it at intake, in one step, is the supervisor's decision
      if (actor.role !== 'supervisor') throw new ForbiddenException({ message: '只有督办员可以在登记时受理并交办' });
      if (!checked.value.townshipId) errors.push({ field: 'townshipId', message: '受理并交办须选择所在乡镇（即承办乡镇）' });
      add('accept', {});
      add('assign', {
        townshipId: checked.value.townshipId,
        ...(body.assignNote ? { note: body.assignNote } : {}),
        ...(body.confirmRecusal ? { confirmRecusal: body.confirmRecusal } : {}),
        ...(body.recusalReason ? { recusalReason: body.recusalReason } : {}),
      });
    }
    // a field named twice (the township) is reported once
    const seen = new Set(checked.errors.map((e) => e.field));
    return { step, actions, errors: errors.filter((e) => !seen.has(e.field) && seen.add(e.field)) };
  }

  /** Logs the case and takes the planned steps, all in one write; the case comes back with its one-time query code. */
  async create(actor: AuthUser, checked: CheckedIntake, planned: PlannedSteps): Promise<Case & { queryCode: string }> {
    if (checked.errors.length || planned.errors.length) throw new InputInvalidException([...checked.errors, ...planned.errors]);
    return this.writer.write(async (m) => {
      const created = await this.intake.insertChecked(m, actor, checked);
      for (const { action, input } of planned.actions) {
        try {
          const c = await this.workflow.performIn(m, actor, created.id, action, input);
          created.status = c.status;
        } catch (e) {
          // the township's staff must recuse themselves: the supervisor confirms with a reason, next to the box
          if (e instanceof TransitionNotAllowedException && action === 'assign') {
            throw new InputInvalidException([{ field: 'confirmRecusal', message: (e.getResponse() as { message: string }).message }]);
          }
          throw e;
        }
      }
      return created;
    });
  }
}
