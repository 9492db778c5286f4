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

  it("reads PostgreSQL's UTC output (offset after the seconds, fraction or none) as it reads SQLite's", () => {
    expect(dbTime('2026-12-31 16:05:00+00')).toBe('2027-01-01 00:05');
    expect(dbTime('2026-12-04 10:00:00.123456+00')).toBe('2026-12-04 18:00');
    expect(dbTime('2028-02-28 23:59:59.9+00')).toBe('2028-02-29 07:59');
  });
});
