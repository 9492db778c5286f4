import { execFileSync } from 'child_process';
import * as fs from 'fs';
import { pdfKit } from '../common/lazy-modules';
import type { Writable } from 'stream';

const CANDIDATES = [
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/opentype/noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc',
];

let fontPath: string | null | undefined;

/** Debian's fonts-noto-cjk; without a CJK font Chinese would come out as empty boxes. */
export function cjkFont(): string | null {
  if (fontPath !== undefined) return fontPath;
  fontPath = CANDIDATES.find((p) => fs.existsSync(p)) ?? null;
  if (!fontPath) {
    try {
      const out = execFileSync('fc-list', [':lang=zh', 'file'], { encoding: 'utf8' });
      fontPath = out.split('\n').map((l) => l.replace(/:\s*$/, '').trim()).find((l) => /NotoSansCJK-Regular\.ttc$/.test(l)) ?? null;
    } catch {
      fontPath = null;
    }
  }
  return fontPath;
}

export interface ReferralSheet {
  bureau: string;
  leadNo: string;
  referredDate: string;
  source: string;
  reporter: string;
  subject: string;
  mainProblem: string;
  verificationSoFar: string;
  attachments: string[];
  handler: string;
  referredBy: string;
  caseNos: string[];
}

/** 问题线索移交登记表 as an A4 PDF. */
export function writeReferralPdf(sheet: ReferralSheet, out: Writable): void {
  const font = cjkFont();
  if (!font) throw new Error('no CJK font: apt-get install fonts-noto-cjk');
  const doc = new (pdfKit())({ size: 'A4', margins: { top: 64, bottom: 64, left: 72, right: 64 }, info: { Title: `问题线索移交登记表 ${sheet.leadNo}` } });
  doc.pipe(out);
  // The face name is required for a .ttc collection (STACK.md).
  doc.registerFont('cjk', font, 'NotoSansCJKsc-Regular');
  doc.font('cjk');
  // 密: the classification mark at the top left (the form names the reporter)
  doc.fontSize(14).text('密', doc.page.margins.left, doc.page.margins.top - 28);
  doc.rect(doc.page.margins.left - 4, doc.page.margins.top - 31, 22, 22).stroke();
  doc.y = doc.page.margins.top;
  doc.fontSize(18).text(`${sheet.bureau}`, { align: 'center' });
  doc.fontSize(20).text('问题线索移交登记表', { align: 'center' });
  doc.moveDown(0.5);
  doc.fontSize(11).text(`线索编号：${sheet.leadNo}        移交日期：${sheet.referredDate}`, { align: 'right' });
  doc.moveDown(0.5);
  const rows: [string, string][] = [
    ['线索来源', sheet.source],
    ['反映人', sheet.reporter],
    ['被反映人', sheet.subject],
    ['主要问题', sheet.mainProblem],
    ['前期核查情况', sheet.verificationSoFar || '—'],
    ['附件清单', sheet.attachments.length ? sheet.attachments.map((a, i) => `${i + 1}. ${a}`).join('\n') : '—'],
    ['关联案件', sheet.caseNos.join('、')],
    ['移交人', sheet.referredBy],
    ['承办人（签收）', `${sheet.handler}        签收日期：＿＿＿＿年＿＿月＿＿日`],
  ];
  const left = doc.page.margins.left;
  const labelW = 100;
  const width = doc.page.width - left - doc.page.margins.right;
  let y = doc.y;
  doc.fontSize(11);
  for (const [label, value] of rows) {
    const h = Math.max(28, doc.heightOfString(value, { width: width - labelW - 12 }) + 14);
    if (y + h > doc.page.height - doc.page.margins.bottom) {
      doc.addPage();
      y = doc.page.margins.top;
    }
    doc.rect(left, y, labelW, h).stroke();
    doc.rect(left + labelW, y, width - labelW, h).stroke();
    doc.text(label, left + 6, y + 7, { width: labelW - 12 });
    doc.text(value, left + labelW + 6, y + 7, { width: width - labelW - 12 });
    y += h;
  }
  doc.text('注：本表及所附材料涉及举报人信息，依《信访工作条例》第三十条严格保密。', left, y + 12, { width });
  doc.end();
}
