import { workerTask } from '../common/worker-thread';
import { openReadConnection } from '../database/sql';
import { encodeLedger, LedgerNote, LedgerPlan } from './ledger-encode';

/**
 * The ledger export's worker thread (LedgerService starts one per export): its own read
 * connection, the rows encoded here, the bytes streamed back at the client's pace.
 */
workerTask<LedgerPlan, number>(async (plan, out, note) => {
  const c = await openReadConnection(plan.target, 'duban-ledger');
  try {
    return await encodeLedger(plan, c, out, note as (n: LedgerNote) => void);
  } finally {
    await c.close();
  }
});
