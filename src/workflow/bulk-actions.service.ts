import { HttpException, Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user';
import type { CaseStatus } from '../cases/case.enums';
import { FieldError, InputInvalidException, validateInput } from '../common/validation';
import { ACTION_DTOS } from './dto/actions.dto';
import { BulkAction, BulkActionDto } from './dto/bulk-action.dto';
import { TRANSITION_BY_ACTION } from './transitions';
import { WorkflowService } from './workflow.service';

export interface BulkLine {
  caseNo: string;
  done: boolean;
  /** The case's state after the action (done), for the API. */
  status: CaseStatus | null;
  /** What happened, in words: 已受理 / the reason it was refused. */
  message: string;
}

/**
 * One action on several cases: each goes through WorkflowService.perform exactly as the single
 * action (the same scope, state, input and recusal rules, its own transaction and history row),
 * and each gets its own line. One case refused does not stop the others.
 */
@Injectable()
export class BulkActionsService {
  constructor(private readonly workflow: WorkflowService) {}

  /** The action's own input, checked once for all the cases (so a missing note is one message, not 300). */
  check(action: BulkAction, dto: BulkActionDto): FieldError[] {
    return validateInput(ACTION_DTOS[action], this.input(action, dto), false).errors;
  }

  async perform(actor: AuthUser, action: BulkAction, dto: BulkActionDto): Promise<BulkLine[]> {
    const errors = this.check(action, dto);
    if (errors.length) throw new InputInvalidException(errors);
    const label = TRANSITION_BY_ACTION.get(action)!.label;
    const lines: BulkLine[] = [];
    for (const caseNo of dto.caseNos) {
      try {
        const c = await this.workflow.perform(actor, caseNo, action, this.input(action, dto), false);
        lines.push({ caseNo, done: true, status: c.status, message: `已${label}${action === 'assign' && c.township ? `（${c.township.name}）` : ''}` });
      } catch (e) {
        if (!(e instanceof HttpException)) throw e;
        lines.push({ caseNo, done: false, status: null, message: refusal(e) });
      }
    }
    return lines;
  }

  /** Only the fields of this action: a bulk 交办 never carries a recusal confirmation. */
  private input(action: BulkAction, dto: BulkActionDto): Record<string, unknown> {
    switch (action) {
      case 'accept':
        return { note: dto.note };
      case 'assign':
        return { townshipId: dto.townshipId, note: dto.note };
      case 'urge':
        return { note: dto.note };
    }
  }
}

/** The refusal as the single action would word it. */
function refusal(e: HttpException): string {
  if (e instanceof InputInvalidException) return e.fieldErrors.map((f) => f.message).join('；');
  const body = e.getResponse();
  const message = typeof body === 'object' && body && 'message' in body ? (body as { message: unknown }).message : null;
  return typeof message === 'string' ? message : '无法办理';
}
