import * as path from 'path';

/**
 * A timeout per tier, fitted to what a test of that tier does on a loaded 2-core machine (Jest
 * applies only the top-level testTimeout, so each tier sets its own here, from the file's folder).
 */
const TIMEOUTS: Record<string, number> = { unit: 10_000, service: 30_000, e2e: 60_000, multi: 180_000, browser: 180_000 };

const folder = path.basename(path.dirname(expect.getState().testPath ?? ''));
jest.setTimeout(TIMEOUTS[folder] ?? 30_000);
