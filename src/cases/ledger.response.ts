import type { Response } from 'express';
import type { AuthUser } from '../auth/auth-user';
import { shanghaiToday } from '../calendar/work-calendar';
import { ListCasesDto } from './dto/list-cases.dto';
import { LedgerService } from './ledger.service';

/** Streams the ledger as a download named 台账-YYYY-MM-DD.xlsx / .csv. */
export async function sendLedger(ledger: LedgerService, user: AuthUser, filters: ListCasesDto, format: 'xlsx' | 'csv', res: Response): Promise<void> {
  // the download's headers once the export has its place: a busy answer (503) is a page, not a file
  const begin = () => {
    const name = `台账-${shanghaiToday(ledger.now())}.${format}`;
    res.setHeader('Content-Type', format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`);
  };
  if (format === 'xlsx') await ledger.xlsx(user, filters, res, begin);
  else await ledger.csv(user, filters, res, begin);
}
