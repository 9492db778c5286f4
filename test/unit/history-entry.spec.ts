import { ENTRY_KINDS, historyTitle } from '../../src/cases/history/history-entry';
import { canonicalJson, canonicalTime, ChainFields, entryHash } from '../../src/cases/history/history-chain';

describe('timeline titles', () => {
  it('names every kind of entry by what happened, never a generic word', () => {
    for (const k of ENTRY_KINDS) {
      const title = historyTitle({ type: k.type, action: k.action, data: null });
      expect([k, title]).not.toEqual([k, expect.stringMatching(/^(状态变更|备注|办理|期限|记录|修改)$/)]);
    }
  });

  it.each([
    [{ type: 'created', action: null, data: { channel: 'hotline', kind: 'helpRequest', via: 'session' } }, '登记（热线电话）'],
    [{ type: 'transition', action: 'assign', data: { how: 'assign', townshipId: 1, townshipName: '城关镇', acknowledgeDue: null, verifyDue: null } }, '交办城关镇'],
    [{ type: 'transition', action: 'acknowledge', data: null }, '签收'],
    [{ type: 'transition', action: 'verify', data: { outcome: 'true' } }, '核实：属实'],
    [{ type: 'transition', action: 'feedback', data: { method: 'phone' } }, '答复反映人（电话）'],
    [{ type: 'transition', action: 'decide-objection', data: { decision: 'reassign', townshipName: '河口镇' } }, '异议处理：改派河口镇'],
    [{ type: 'transition', action: 'request-extension', data: { days: 5, stage: 'verify', dueDate: '2026-10-30' } }, '延期申请 5 个工作日'],
    [{ type: 'transition', action: 'decide-extension', data: { decision: 'approve', asked: 5, days: 3 } }, '同意延期 3 个工作日'],
    [{ type: 'transition', action: 'decide-extension', data: { decision: 'refuse', asked: 5 } }, '不同意延期'],
    [{ type: 'transition', action: 'callback', data: { result: 'unreachable', attempt: 2 } }, '回访：无法联系（第 2 次）'],
    [{ type: 'deadline', action: 'overdue', data: { stage: 'verify', dueDate: '2026-10-01', deadlineId: 1 } }, '超期（核实反馈）'],
    [{ type: 'deadline', action: 'recompute', data: { stage: 'acknowledge', from: null, to: null, missingYear: null } }, '期限调整（乡镇签收）'],
    [{ type: 'note', action: 'link-repeat', data: { otherCaseNo: 'JZ2026-000001' } }, '标记为重复件（JZ2026-000001）'],
    [{ type: 'note', action: 'refer', data: { leadNo: 'XS2026-0001' } }, '线索移交（XS2026-0001）'],
    [{ type: 'note', action: 'referral-dispose', data: { leadNo: 'XS2026-0001', disposal: 'preliminary' } }, '线索处置：初步核实（XS2026-0001）'],
    [{ type: 'note', action: 'disclose-reporter', data: { townshipId: 1, townshipName: '城关镇' } }, '披露举报人（向城关镇）'],
    [{ type: 'transition', action: 'record-notice', data: { kind: 'nonAcceptance', method: 'mail', date: '2026-11-20', late: false, dueDate: null } }, '书面告知：不予受理告知（邮寄）'],
    [{ type: 'transition', action: 'request-review', data: { requestDate: '2026-11-20', windowEnd: null, dueDate: null } }, '申请复查'],
    [{ type: 'transition', action: 'decide-review', data: { decision: 'revoke', text: '撤销', date: '2026-11-20', late: false } }, '复查意见：撤销'],
    [{ type: 'transition', action: 'decide-rereview', data: { decision: 'uphold' } }, '复核意见：维持'],
    [{ type: 'transition', action: 'record-recheck', data: { result: 'stopped' } }, '死亡后家庭复核：停保'],
    [{ type: 'deadline', action: 'overdue', data: { stage: 'countyAccept', dueDate: '2026-10-01', deadlineId: 1 } }, '超期（县级受理）'],
  ])('titles %j as %s', (entry, title) => {
    expect(historyTitle(entry)).toBe(title);
  });

  it('still titles rows of earlier releases whose data lacks the fields', () => {
    expect(historyTitle({ type: 'transition', action: 'assign', data: null })).toBe('交办乡镇');
    expect(historyTitle({ type: 'transition', action: 'verify', data: {} })).toBe('记录核实情况');
    expect(historyTitle({ type: 'note', action: 'disclose-reporter', data: null })).toBe('披露举报人');
  });
});

describe('the hash of a history entry', () => {
  const row: ChainFields = {
    caseId: 7, seq: 3, at: new Date('2026-11-20T02:00:00.000Z'), actorId: 2, actorName: '王丽', actorRole: 'operator',
    type: 'transition', action: 'verify', fromStatus: 'verifying', toStatus: 'verifying', note: '核实结论：属实。', data: canonicalJson({ outcome: 'true', visitDate: '2026-11-19' }),
  };
  const prev = 'a'.repeat(64);

  it('is SHA-256 in hex, and the same for the same entry', () => {
    expect(entryHash(row, prev)).toMatch(/^[0-9a-f]{64}$/);
    expect(entryHash({ ...row }, prev)).toBe(entryHash(row, prev));
  });

  it('changes when any field or the previous hash changes', () => {
    const base = entryHash(row, prev);
    const variants: Partial<ChainFields>[] = [
      { caseId: 8 }, { seq: 4 }, { at: new Date('2026-11-20T02:00:00.001Z') }, { actorId: null }, { actorName: '王 丽' }, { actorRole: 'supervisor' },
      { type: 'note' }, { action: 'feedback' }, { fromStatus: 'inReview' }, { toStatus: 'inReview' }, { note: '核实结论：不属实。' }, { note: null },
      { data: canonicalJson({ outcome: 'untrue', visitDate: '2026-11-19' }) }, { data: null },
    ];
    for (const v of variants) expect([v, entryHash({ ...row, ...v }, prev)]).not.toEqual([v, base]);
    expect(entryHash(row, 'b'.repeat(64))).not.toBe(base);
    expect(entryHash(row, null)).not.toBe(base);
  });

  it('cannot be matched by moving text from one field into the next', () => {
    expect(entryHash({ ...row, actorName: '王丽', actorRole: 'operator' }, prev)).not.toBe(entryHash({ ...row, actorName: '王丽operator', actorRole: null }, prev));
    expect(entryHash({ ...row, note: 'ab', data: null }, prev)).not.toBe(entryHash({ ...row, note: 'a', data: 'b' }, prev));
  });

  it('reads a time stored as SQLite text as the instant it was written', () => {
    const at = new Date('2026-11-20T02:00:00.123Z');
    expect(canonicalTime('2026-11-20 02:00:00.123')).toBe(at.toISOString());
    expect(entryHash({ ...row, at: canonicalTime('2026-11-20 02:00:00.123') }, prev)).toBe(entryHash({ ...row, at }, prev));
  });

  it('does not depend on the order of keys in the data', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"e":3,"f":2}]},"b":1}');
    expect(canonicalJson({ a: undefined, b: 2 })).toBe('{"b":2}');
    // as JSON.stringify stores it
    expect(canonicalJson({ at: new Date('2026-11-20T02:00:00Z'), n: [undefined] })).toBe(JSON.stringify({ at: new Date('2026-11-20T02:00:00Z'), n: [null] }));
  });
});
