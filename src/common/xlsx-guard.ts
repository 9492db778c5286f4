import { promisify } from 'util';
import * as zlib from 'zlib';

const inflateRaw = promisify(zlib.inflateRaw);

/**
 * Most bytes an uploaded workbook may unpack to, all entries together. exceljs reads a whole sheet
 * into memory (STACK.md pitfall 11): 20,000 rows of the register unpack to about 14 MB and take
 * about 125 MB of heap, 40,000 rows exhaust the server's 192 MB. 16 MB keeps an import of the
 * size the upload limit promises (about 20,000 rows) and refuses anything that could stop the
 * server for everyone.
 */
export const XLSX_MAX_UNPACKED = 16 * 1024 * 1024;
/** A workbook has a dozen or so parts; thousands of tiny entries are an attack, not a table. */
export const XLSX_MAX_ENTRIES = 500;
/**
 * Spreadsheet XML compresses 10-20 times (measured on the register's own export); a part that
 * unpacks more than 200 times its packed size is padding made to exhaust memory (a zip bomb).
 * Tiny parts are exempt: a short, repetitive XML part can compress very well.
 */
export const XLSX_MAX_RATIO = 200;
const RATIO_FROM = 64 * 1024;

export const XLSX_NOT_A_WORKBOOK = '无法读取该文件，请上传 .xlsx 格式的表格';
export const XLSX_TOO_LARGE = `表格解压后超过${XLSX_MAX_UNPACKED / 1024 / 1024}MB（约2万行），请分批导入`;
export const XLSX_SUSPICIOUS = '文件内容异常（压缩比过高），不是正常的表格文件，已拒绝导入';

interface Entry {
  name: string;
  method: number;
  packed: number;
  unpacked: number;
  localOffset: number;
}

/** The end-of-central-directory record, searched from the end as readers do (a comment may follow it). */
function findEnd(buf: Buffer): number {
  const min = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= min; i--) if (buf.readUInt32LE(i) === 0x06054b50) return i;
  return -1;
}

/** The central directory's entries, or a reason the file is not a workbook we accept. */
function entries(buf: Buffer): Entry[] | string {
  if (buf.length < 22 || buf.readUInt32LE(0) !== 0x04034b50) return XLSX_NOT_A_WORKBOOK;
  const end = findEnd(buf);
  if (end < 0) return XLSX_NOT_A_WORKBOOK;
  const count = buf.readUInt16LE(end + 10);
  const dirSize = buf.readUInt32LE(end + 12);
  const dirOffset = buf.readUInt32LE(end + 16);
  // ZIP64 markers: a 2 MB upload never needs them, and their sizes would escape the checks below.
  if (count === 0xffff || dirSize === 0xffffffff || dirOffset === 0xffffffff) return XLSX_NOT_A_WORKBOOK;
  if (count > XLSX_MAX_ENTRIES) return XLSX_SUSPICIOUS;
  if (dirOffset + dirSize > end) return XLSX_NOT_A_WORKBOOK;
  const out: Entry[] = [];
  let p = dirOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > end || buf.readUInt32LE(p) !== 0x02014b50) return XLSX_NOT_A_WORKBOOK;
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    out.push({
      method: buf.readUInt16LE(p + 10),
      packed: buf.readUInt32LE(p + 20),
      unpacked: buf.readUInt32LE(p + 24),
      localOffset: buf.readUInt32LE(p + 42),
      name: buf.toString('utf8', p + 46, p + 46 + nameLen),
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/**
 * Checks an uploaded .xlsx before any parser touches it: a ZIP with the parts of a workbook,
 * at most XLSX_MAX_ENTRIES entries and XLSX_MAX_UNPACKED bytes unpacked, no part unpacking more
 * than XLSX_MAX_RATIO times. The sizes in the directory are only claims, so each part is also
 * inflated here with its output capped at its claimed size: a file that lies about its sizes is
 * refused too, and this check never holds more than the limit in memory. Returns the reason (in
 * Chinese, for the page) or null.
 */
export async function xlsxProblem(buf: Buffer): Promise<string | null> {
  const list = entries(buf);
  if (typeof list === 'string') return list;
  const names = new Set(list.map((e) => e.name));
  if (!names.has('[Content_Types].xml') || !names.has('xl/workbook.xml')) return XLSX_NOT_A_WORKBOOK;
  let total = 0;
  for (const e of list) {
    total += e.unpacked;
    if (total > XLSX_MAX_UNPACKED) return XLSX_TOO_LARGE;
    if (e.unpacked > RATIO_FROM && e.unpacked > e.packed * XLSX_MAX_RATIO) return XLSX_SUSPICIOUS;
  }
  for (const e of list) {
    const h = e.localOffset;
    if (h + 30 > buf.length || buf.readUInt32LE(h) !== 0x04034b50) return XLSX_NOT_A_WORKBOOK;
    const start = h + 30 + buf.readUInt16LE(h + 26) + buf.readUInt16LE(h + 28);
    if (start + e.packed > buf.length) return XLSX_NOT_A_WORKBOOK;
    const data = buf.subarray(start, start + e.packed);
    if (e.method === 0) {
      if (e.packed !== e.unpacked) return XLSX_NOT_A_WORKBOOK;
      continue;
    }
    if (e.method !== 8) return XLSX_NOT_A_WORKBOOK;
    try {
      // maxOutputLength: inflating more than the claimed size fails instead of filling memory
      const out = await inflateRaw(data, { maxOutputLength: Math.max(e.unpacked, 1) });
      if (out.length !== e.unpacked) return XLSX_NOT_A_WORKBOOK;
    } catch (err) {
      return (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? XLSX_SUSPICIOUS : XLSX_NOT_A_WORKBOOK;
    }
  }
  return null;
}
