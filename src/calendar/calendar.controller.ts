import { Controller, Get, Query, Render, Res, UnprocessableEntityException } from '@nestjs/common';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import type { Response } from 'express';
import { Matches, IsIn, IsInt, Max, Min } from 'class-validator';

import { checkQuery, errorMap, InputInvalidException, ToInt, Trim } from '../common/validation';
import { CalendarService } from './calendar.service';
import { CalendarMissingError, dayNumber } from './work-calendar';

export class DueDateQuery {
  @Trim()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '起算日期格式应为 YYYY-MM-DD' })
  from: string;

  @ToInt()
  @IsInt({ message: '天数应为整数' })
  @Min(0, { message: '天数应为0至366' })
  @Max(366, { message: '天数应为0至366' })
  days: number;

  @Trim()
  @IsIn(['workday', 'day'], { message: '单位应为 workday（工作日）或 day（自然日）' })
  unit: 'workday' | 'day';
}

/** "When will I hear back?": the due-date calculator, as a page and as an API call. */
@Controller()
export class CalendarController {
  constructor(private readonly calendars: CalendarService) {}

  /** A county user counts on their county's calendar (its own days over the national one); above a county, the national one. */
  private async compute(user: AuthUser, q: DueDateQuery): Promise<string> {
    if (dayNumber(q.from) === null) throw new InputInvalidException([{ field: 'from', message: '起算日期不是有效日期' }]);
    const cal = await this.calendars.calendar(user.level === 'county' ? user.regionCode : null);
    return cal.due(q.from, q.days, q.unit);
  }

  /**
   * GET /api/v1/calendar/due-date?from=YYYY-MM-DD&days=N&unit=workday|day → { due }, 422
   * { error: "calendar_missing", year } when the range reaches a year with no calendar.
   */
  @Get('api/v1/calendar/due-date')
  async dueDate(@CurrentUser() user: AuthUser, @Query() q: DueDateQuery) {
    try {
      return { due: await this.compute(user, q) };
    } catch (e) {
      if (e instanceof CalendarMissingError) {
        throw new UnprocessableEntityException({ error: 'calendar_missing', year: e.year, message: `${e.year} 年节假日日历尚未录入，无法计算` });
      }
      throw e;
    }
  }

  @Get('calendar/calculator')
  @Render('calendar/calculator')
  async page(@CurrentUser() user: AuthUser, @Query() raw: Record<string, unknown>, @Res({ passthrough: true }) res: Response) {
    const model: Record<string, unknown> = { title: '期限计算器', values: { unit: 'workday', ...raw }, years: (await this.calendars.years()).map((y) => y.year) };
    if (!raw.from && !raw.days && !raw.unit) return model;
    const { value, errors } = checkQuery(DueDateQuery, raw, false);
    if (errors.length) {
      res.status(400);
      return { ...model, errors: errorMap(errors) };
    }
    try {
      return { ...model, due: await this.compute(user, value), asked: value };
    } catch (e) {
      if (e instanceof CalendarMissingError) return { ...model, missingYear: e.year };
      if (e instanceof InputInvalidException) {
        res.status(400);
        return { ...model, errors: errorMap(e.fieldErrors) };
      }
      throw e;
    }
  }
}

