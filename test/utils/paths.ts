import * as path from 'path';

export const TMP_DIR = path.resolve(__dirname, '..', '.tmp');
/** Migrated and seeded once per run by global-setup; copied by each test file. */
export const TEMPLATE_DB = path.join(TMP_DIR, 'template.sqlite');
/** Migrated only, no rows. */
export const EMPTY_TEMPLATE_DB = path.join(TMP_DIR, 'empty.sqlite');
