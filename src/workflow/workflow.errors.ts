import { ConflictException, ForbiddenException } from '@nestjs/common';
import { CASE_STATUS_LABELS, CaseStatus } from '../cases/case.enums';
import { TRANSITION_BY_ACTION, ActionName } from './transitions';

/** 409 `{ error: "transition_not_allowed", from, action, message }`. */
export class TransitionNotAllowedException extends ConflictException {
  constructor(from: CaseStatus, action: ActionName | string, message?: string) {
    const label = TRANSITION_BY_ACTION.get(action as ActionName)?.label ?? action;
    super({
      error: 'transition_not_allowed',
      from,
      action,
      message: message ?? `案件当前状态为「${CASE_STATUS_LABELS[from]}」，不能执行「${label}」`,
    });
  }
}

export class ActionForbiddenException extends ForbiddenException {
  constructor(action: string) {
    const label = TRANSITION_BY_ACTION.get(action as ActionName)?.label ?? action;
    super({ message: `您的角色无权执行「${label}」` });
  }
}
