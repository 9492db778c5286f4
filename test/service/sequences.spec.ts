import { nextInSeries } from '../../src/database/sequences';
import { onPostgres, TEST_ENGINE } from '../utils/engine';
import { useServiceDatabase } from '../utils/service-db';

describe(`case and lead numbers (${TEST_ENGINE})`, () => {
  const t = useServiceDatabase('empty');

  const take = (prefix = 'JZ141099', year = 2026) => t.writer.write((m) => nextInSeries(m, prefix, year));

  it('hands out each number once to 40 concurrent writes, 1 to 40, each county and year its own series', async () => {
    const got = await Promise.all(Array.from({ length: 40 }, () => take()));
    expect([...got].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(await take('JZ141099', 2027)).toBe(1);
    expect(await take('JZ141098')).toBe(1);
    expect(await take()).toBe(41);
  });

  if (onPostgres) {
    it('does not hold one write\'s number while another write of the same series is still open', async () => {
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let taken!: () => void;
      const firstTook = new Promise<void>((r) => (taken = r));
      const slow = t.writer.write(async (m) => {
        const n = await nextInSeries(m, 'JZ141099', 2026);
        taken();
        await held;
        return n;
      });
      await firstTook;
      // before, the counter's row stayed locked until the slow write committed: this waited for it
      const quick = await Promise.race([take(), new Promise<'waited'>((r) => setTimeout(() => r('waited'), 3000))]);
      release();
      expect(await slow).toBe(1);
      expect(quick).toBe(2);
    });
  } else {
    it('gives the number of a write that failed back: the series has no gaps', async () => {
      await take();
      await expect(t.writer.write(async (m) => {
        await nextInSeries(m, 'JZ141099', 2026);
        throw new Error('refused');
      })).rejects.toThrow('refused');
      expect(await take()).toBe(2);
    });
  }
});
