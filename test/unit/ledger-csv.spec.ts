import {
  CALLBACK_RESULT_LABELS,
  CASE_STATUS_LABELS,
  CHANNEL_LABELS,
  CLOSE_REASON_LABELS,
  KIND_LABELS,
  NOTICE_KIND_LABELS,
  NOTICE_METHOD_LABELS,
  PROBLEM_TYPE_LABELS,
  PROGRAM_LABELS,
  URGENCY_LABELS,
  VERIFICATION_OUTCOME_LABELS,
} from '../../src/cases/case.enums';
import { csvLine, FREE_TEXT_COLUMNS, LEDGER_COLUMNS, NOTICE_CELL_WORDS } from '../../src/cases/ledger.service';

describe('ledger CSV lines', () => {
  it('quotes the free-text columns when they hold a comma, quote or line break', () => {
    const row = LEDGER_COLUMNS.map(([key]) => (FREE_TEXT_COLUMNS.has(key) ? `甲,乙"丙"\r\n丁` : 'x'));
    const line = csvLine(row);
    expect(line.endsWith('\r\n')).toBe(true);
    expect(line.split('"甲,乙""丙""\r\n丁"').length - 1).toBe(FREE_TEXT_COLUMNS.size);
  });

  it('keeps a reporter’s words that look like a formula from running as one', () => {
    const at = LEDGER_COLUMNS.findIndex(([key]) => key === 'content');
    for (const words of ['=HYPERLINK("http://x","点此")', '+1+1', '-2+3', '@SUM(A1)', '\t=1+1']) {
      const row = LEDGER_COLUMNS.map(() => 'x');
      row[at] = words;
      expect(csvLine(row)).toContain(`'${words.replace(/"/g, '""')}`);
    }
    const plain = LEDGER_COLUMNS.map(() => 'x');
    plain[at] = '低保-申请';
    expect(csvLine(plain)).toContain(',低保-申请,');
  });

  it('leaves unquoted only labels that can never need quoting', () => {
    // the columns outside FREE_TEXT_COLUMNS are filled from these labels, case and lead numbers,
    // masked numbers and dates
    const labels = [
      CALLBACK_RESULT_LABELS, CASE_STATUS_LABELS, CHANNEL_LABELS, CLOSE_REASON_LABELS, KIND_LABELS, PROBLEM_TYPE_LABELS, PROGRAM_LABELS, URGENCY_LABELS, VERIFICATION_OUTCOME_LABELS,
      // the 书面告知 column's words
      NOTICE_KIND_LABELS, NOTICE_METHOD_LABELS, NOTICE_CELL_WORDS,
    ].flatMap(
      (m) => Object.values(m) as string[],
    );
    expect(labels.length).toBeGreaterThan(30);
    for (const l of labels) expect(l).not.toMatch(/[",\r\n]/);
  });
});
