import * as fs from 'fs';
import * as path from 'path';
// eslint-disable-next-line @typescript-eslint/no-require-imports
import hbs = require('hbs');
import { formatDateTime } from './time';

let registered = false;

/** Partials are registered synchronously: hbs.registerPartials reads them later, after the first render. */
export function registerViewHelpers(partialsDir: string): void {
  if (registered) return;
  registered = true;
  for (const file of fs.readdirSync(partialsDir)) {
    if (file.endsWith('.hbs')) hbs.registerPartial(path.basename(file, '.hbs'), fs.readFileSync(path.join(partialsDir, file), 'utf8'));
  }
  hbs.registerHelper('eq', (a: unknown, b: unknown) => String(a ?? '') === String(b ?? ''));
  hbs.registerHelper('not', (a: unknown) => !a);
  hbs.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hbs.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
  hbs.registerHelper('selected', (a: unknown, b: unknown) => (String(a ?? '') === String(b ?? '') ? 'selected' : ''));
  hbs.registerHelper('checked', (a: unknown, b: unknown) => (String(a ?? '') === String(b ?? '') ? 'checked' : ''));
  /** Checkbox of a group: checked if the list (array or single value) holds it. */
  hbs.registerHelper('checkedIn', (list: unknown, value: unknown) => {
    const arr = Array.isArray(list) ? list : list === undefined || list === null ? [] : [list];
    return arr.map(String).includes(String(value)) ? 'checked' : '';
  });
  hbs.registerHelper('dt', (d: Date | string | null | undefined) => formatDateTime(d));
  /** The field messages of a form (errorMap) as a list for the error summary, in the order they were found; null when none. */
  hbs.registerHelper('errorList', (errors: unknown) => {
    if (!errors || typeof errors !== 'object') return null;
    const list = Object.entries(errors as Record<string, unknown>)
      .filter(([, m]) => typeof m === 'string' && m)
      .map(([field, message]) => ({ field, message }));
    return list.length ? list : null;
  });
  hbs.registerHelper('lookup2', (obj: Record<string, unknown> | undefined, key: string) => (obj ? obj[key] : undefined));
}
