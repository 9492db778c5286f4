import { Controller, Get, Query } from '@nestjs/common';
import { AuthUser, CurrentUser, Roles } from '../auth/auth-user';
import { normaliseIdNumber, normalisePhone } from '../common/identity';
import { Clock } from '../common/clock';
import { parseShanghaiDateTime } from '../common/time';
import { checkQuery, InputInvalidException } from '../common/validation';
import { LikelyRepeatsQuery } from './dto/likely-repeats.dto';
import { RepeatsService } from './repeats.service';


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
  async likely(@CurrentUser() user: AuthUser, @Query() raw: Record<string, unknown>) {
    const { value: q, errors } = checkQuery(LikelyRepeatsQuery, raw, false);
    if (errors.length) throw new InputInvalidException(errors);
    const phone = normalisePhone(q.phone ?? '');
    const idNumber = normaliseIdNumber(q.idNumber ?? '');
    const receivedAt = (q.receivedAt && parseShanghaiDateTime(q.receivedAt)) || this.clock.now();
    const items = await this.repeats.likely({
      content: q.content ?? '',
      reporterPhone: phone.length >= 7 ? phone : null,
      reporterIdNumber: idNumber.length === 18 ? idNumber : null,
      subjectName: q.subjectName ?? null,
      villageId: q.villageId ?? null,
      receivedAt,
    }, user);
    return { items };
  }
}
