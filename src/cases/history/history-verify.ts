import type { Database } from 'better-sqlite3';
import type { EntityManager } from 'typeorm';
import { chainBatches, ChainRow, countOrphans, countOrphansVia, iterateChains } from './case-history.repository';
import { canonicalDataText, canonicalTime, entryHash } from './history-chain';

/**
 * What `npm run verify-history` finds, in the words an inspector uses:
 * - changed: a row's content no longer matches its own hash (edited in place);
 * - replaced: a row whose hash is its own, but not the one the chain expects: the next entry (or
 *   the head on the case) names another predecessor, or its id is later than its successor's;
 * - removed: a gap in seq, or the case's head (case_history_heads) names entries that are gone (the last);
 * - added: entries past the head, or off the chain, that CaseHistoryWriter did not write.
 */
export type FindingKind = 'changed' | 'replaced' | 'removed' | 'added';

export interface Finding {
  kind: FindingKind;
  caseNo: string;
  /** The entry concerned (the first of a range); null for a finding about the whole table. */
  seq: number | null;
  message: string;
}

export interface VerifySummary {
  cases: number;
  entries: number;
  casesWithFindings: number;
  findings: number;
}

const range = (a: number, b: number) => (a === b ? `第 ${a} 条` : `第 ${a}–${b} 条`);

/**
 * Walks every case's chain in one pass over the rows, fed in chain order (streamed: one case's
 * previous row is all it keeps), calling `report` for each finding as it is found.
 */
function chainWalker(report: (f: Finding) => void): { feed: (r: ChainRow) => void; end: () => VerifySummary } {
  const summary: VerifySummary = { cases: 0, entries: 0, casesWithFindings: 0, findings: 0 };
  let current: ChainRow | null = null;
  let prev: ChainRow | null = null;
  let seen = new Set<string>();

  const find = (c: ChainRow, kind: FindingKind, seq: number | null, message: string) => {
    const key = `${kind}:${seq}`;
    if (seen.has(key)) return;
    if (!seen.size) summary.casesWithFindings++;
    seen.add(key);
    summary.findings++;
    report({ kind, caseNo: c.caseNo, seq, message: `${c.caseNo} ${message}` });
  };

  const endCase = (c: ChainRow) => {
    if (c.id === null) {
      if (c.headSeq > 0) find(c, 'removed', 1, `${range(1, c.headSeq)}办理记录被删除：本案已没有任何记录`);
      else find(c, 'removed', null, '没有任何办理记录（每件案件至少有一条登记记录）');
      return;
    }
    const lastSeq = prev ? prev.seq : 0;
    if (c.headSeq > lastSeq) find(c, 'removed', lastSeq + 1, `${range(lastSeq + 1, c.headSeq)}办理记录被删除（本案记录应到第 ${c.headSeq} 条）`);
    else if (c.headSeq < lastSeq) find(c, 'added', c.headSeq + 1, `${range(c.headSeq + 1, lastSeq)}办理记录不是经本系统写入的（本案记录到第 ${c.headSeq} 条为止）`);
    else if (prev && c.headHash !== prev.hash) find(c, 'replaced', prev.seq, `第 ${prev.seq} 条（最后一条）办理记录被替换：与案件上记下的最后一条不符`);
  };

  const feed = (r: ChainRow) => {
    if (!current || r.caseId !== current.caseId) {
      if (current) endCase(current);
      current = r;
      prev = null;
      seen = new Set();
      summary.cases++;
      if (r.id === null) return;
    }
    summary.entries++;
    const own = entryHash(
      { caseId: r.caseId, seq: r.seq, at: canonicalTime(r.at), actorId: r.actorId, actorName: r.actorName, actorRole: r.actorRole, type: r.type, action: r.action, fromStatus: r.fromStatus, toStatus: r.toStatus, note: r.note, data: canonicalDataText(r.data) },
      r.prevHash,
    );
    if (own !== r.hash) find(r, 'changed', r.seq, `第 ${r.seq} 条办理记录被改动：内容与它的哈希不符`);
    const expected = prev ? prev.seq + 1 : 1;
    if (r.seq < expected) {
      // seq 0 (the column's default): inserted with the chain trigger switched off
      find(r, 'added', r.seq, `有一条办理记录（编号 ${r.id}）不在本案的记录链上`);
      return;
    }
    if (r.seq > expected) {
      find(r, 'removed', expected, `${range(expected, r.seq - 1)}办理记录被删除`);
    } else if (prev ? r.prevHash !== prev.hash : r.prevHash !== null) {
      if (prev) find(r, 'replaced', prev.seq, `第 ${prev.seq} 条办理记录被替换：第 ${r.seq} 条记下的前一条不是它`);
      else find(r, 'replaced', r.seq, `第 1 条办理记录被替换：它记下了并不存在的前一条`);
    }
    if (prev && r.id! < prev.id!) find(r, 'replaced', prev.seq, `第 ${prev.seq} 条办理记录被替换：它的记录编号（${prev.id}）晚于第 ${r.seq} 条（${r.id}）`);
    prev = r;
  };
  const end = () => {
    if (current) endCase(current);
    current = null;
    return summary;
  };
  return { feed, end };
}

/** Every case's chain from rows in chain order (iterateChains). */
export function verifyChains(rows: Iterable<ChainRow>, report: (f: Finding) => void): VerifySummary {
  const w = chainWalker(report);
  for (const r of rows) w.feed(r);
  return w.end();
}

function orphanFinding(orphans: number, summary: VerifySummary, report: (f: Finding) => void): void {
  if (!orphans) return;
  summary.findings++;
  report({ kind: 'added', caseNo: '', seq: null, message: `${orphans} 条办理记录所属的案件不存在` });
}

/** The whole SQLite file (better-sqlite3, read-only): every case's chain, then history rows whose case is gone. */
export function verifyDatabase(db: Database, report: (f: Finding) => void): VerifySummary {
  const summary = verifyChains(iterateChains(db), report);
  orphanFinding(countOrphans(db), summary, report);
  return summary;
}

/** The same through a connection of the app, on either engine (PostgreSQL: `npm run verify-history` with DATABASE_URL). */
export async function verifyHistory(m: EntityManager, report: (f: Finding) => void): Promise<VerifySummary> {
  const w = chainWalker(report);
  for await (const batch of chainBatches(m)) for (const r of batch) w.feed(r);
  const summary = w.end();
  orphanFinding(await countOrphansVia(m), summary, report);
  return summary;
}
