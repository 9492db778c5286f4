import { IsInt, IsOptional, Min } from 'class-validator';
import { IsYearMonth, IsYmd, ToInt, Trim } from '../../common/validation';

class TownshipFilter {
  @ToInt()
  @IsOptional()
  @IsInt({ message: '乡镇不正确' })
  @Min(1, { message: '乡镇不正确' })
  townshipId?: number;
}

/** GET /reports/monthly[.xlsx]?month=YYYY-MM&townshipId= */
export class MonthlyQuery extends TownshipFilter {
  @Trim()
  @IsOptional()
  @IsYearMonth('月份格式应为 YYYY-MM')
  month?: string;
}

/** GET /reports/dashboard?from=&to=&townshipId= */
export class DashboardQuery extends TownshipFilter {
  @Trim()
  @IsOptional()
  @IsYmd('日期格式应为 YYYY-MM-DD')
  from?: string;

  @Trim()
  @IsOptional()
  @IsYmd('日期格式应为 YYYY-MM-DD')
  to?: string;
}

/** GET /reports/weekly[.xlsx]?date= */
export class WeeklyQuery {
  @Trim()
  @IsOptional()
  @IsYmd('日期格式应为 YYYY-MM-DD')
  date?: string;
}
