import type ExcelJSModule from 'exceljs';
import type PDFKitModule from 'pdfkit';

/**
 * exceljs and pdfkit, loaded the first time a spreadsheet or PDF is made rather than when the
 * server starts: together they are about 1.7 s of the start-up on these machines (and of each test
 * file that starts the app), and most processes (a scan, most requests) never need them.
 */
let excel: typeof ExcelJSModule | undefined;
let pdfkit: typeof PDFKitModule | undefined;

export function excelJs(): typeof ExcelJSModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (excel ??= require('exceljs') as typeof ExcelJSModule);
}

export function pdfKit(): typeof PDFKitModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const m = require('pdfkit') as typeof PDFKitModule & { default?: typeof PDFKitModule };
  return (pdfkit ??= m.default ?? m);
}
