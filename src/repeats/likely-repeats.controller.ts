import { Controller, Get, Query } from '@nestjs/common';
import { AuthUser, CurrentUser, Roles } from '../auth/auth-user';
import { normaliseIdNumber, normalisePhone } from '../common/identity';
import { Clock } from '../common/clock';
import { parseShanghaiDateTime } from '../common/time';
import { RepeatsService } from './repeats.service';

const text = (v: unknown, max: number): string | null => (typeof v === 'string' && v.trim() ? v.trim().slice(0, max) : null);

/**
 * Likely repeats of an intake still being typed (DOMAIN 重复件), for the panel beside the intake
 * form: the same phone or ID number, the same subject in the same village, or similar content,
 * within 180 days. The operator can mark the new case as a repeat before saving it.
 */
@Controller('repeats')
@Roles('operator', 'supervisor')
export class LikelyRepeatsController {
  constructor(
    private readonly repeats: RepeatsService,
    private readonly clock: Clock,
  ) {}

  /**
   * GET /repeats/likely?phone=&idNumber=&subjectName=&villageId=&content=&receivedAt= → { items }
   * (the 180 days are counted from the typed receipt time, a letter's date say, or from now).
   */
  @Get('likely')
  async likely(@CurrentUser() user: AuthUser, @Query() q: Record<string, unknown>) {
    const phone = normalisePhone(text(q.phone, 30) ?? '');
    const idNumber = normaliseIdNumber(text(q.idNumber, 30) ?? '');
    const villageId = Number(q.villageId);
    const typedAt = text(q.receivedAt, 30);
    const receivedAt = (typedAt && parseShanghaiDateTime(typedAt)) || this.clock.now();
    const items = await this.repeats.likely({
      content: text(q.content, 5000) ?? '',
      reporterPhone: phone.length >= 7 ? phone : null,
      reporterIdNumber: idNumber.length === 18 ? idNumber : null,
      subjectName: text(q.subjectName, 50),
      villageId: Number.isInteger(villageId) && villageId > 0 ? villageId : null,
      receivedAt,
    }, user);
    return { items };
  }
}
