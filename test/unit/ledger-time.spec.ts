import { dbTime } from '../../src/cases/ledger.service';
import { formatDateTime } from '../../src/common/time';

describe('ledger times in Shanghai, by string arithmetic', () => {
  it('agrees with the Date-based formatting on every hour across month and year ends', () => {
    for (const day of ['2025-12-31', '2026-01-31', '2026-02-28', '2028-02-28', '2028-02-29', '2026-06-30', '2026-11-21']) {
      for (let h = 0; h < 24; h++) {
        const stored = `${day} ${String(h).padStart(2, '0')}:07:09.123`;
        expect(dbTime(stored)).toBe(formatDateTime(stored.replace(' ', 'T') + 'Z'));
      }
    }
    expect(dbTime(null)).toBe('');
  });
});
