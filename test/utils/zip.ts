import * as zlib from 'zlib';

/** One part of a ZIP: its deflated bytes, and what the directory will claim about it. */
export interface ZipPart {
  name: string;
  packed: Buffer;
  crc: number;
  size: number;
  /** Claim another unpacked size in the directory (a lying header). */
  claimedSize?: number;
}

export function deflatePart(name: string, data: Buffer | string): ZipPart {
  const buf = Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8');
  return { name, packed: zlib.deflateRawSync(buf, { level: 9 }), crc: zlib.crc32(buf), size: buf.length };
}

/**
 * A part of `head`, then `padding` bytes of spaces, then `tail`, deflated a megabyte at a time:
 * hundreds of megabytes of XML whitespace become a few hundred kilobytes, without the test ever
 * holding the unpacked text.
 */
export async function paddedPart(name: string, head: string, padding: number, tail: string): Promise<ZipPart> {
  const deflate = zlib.createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (c: Buffer) => out.push(c));
  const done = new Promise<void>((resolve, reject) => {
    deflate.on('end', resolve);
    deflate.on('error', reject);
  });
  const write = (b: Buffer) => new Promise<void>((resolve) => (deflate.write(b) ? resolve() : deflate.once('drain', resolve)));
  let crc = 0;
  const h = Buffer.from(head);
  crc = zlib.crc32(h, crc);
  await write(h);
  const mb = Buffer.alloc(1024 * 1024, 0x20);
  for (let left = padding; left > 0; left -= mb.length) {
    const chunk = left >= mb.length ? mb : mb.subarray(0, left);
    crc = zlib.crc32(chunk, crc);
    await write(chunk);
  }
  const tl = Buffer.from(tail);
  crc = zlib.crc32(tl, crc);
  deflate.end(tl);
  await done;
  return { name, packed: Buffer.concat(out), crc, size: h.length + padding + tl.length };
}

/** A plain ZIP (deflate, no ZIP64) of these parts, written by hand. */
export function zip(parts: ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name, 'utf8');
    const size = p.claimedSize ?? p.size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(p.crc >>> 0, 14);
    local.writeUInt32LE(p.packed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, p.packed);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(0x0800, 8);
    dir.writeUInt16LE(8, 10);
    dir.writeUInt32LE(p.crc >>> 0, 16);
    dir.writeUInt32LE(p.packed.length, 20);
    dir.writeUInt32LE(size, 24);
    dir.writeUInt16LE(name.length, 28);
    dir.writeUInt32LE(offset, 42);
    central.push(dir, name);
    offset += 30 + name.length + p.packed.length;
  }
  const dirBuf = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(dirBuf.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dirBuf, end]);
}

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`;
const RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
const WORKBOOK = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="近亲属备案" sheetId="1" r:id="rId1"/></sheets></workbook>`;
const WORKBOOK_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`;
const SHEET_HEAD = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>工作人员姓名</t></is></c></row>`;
const SHEET_TAIL = `</sheetData></worksheet>`;

/**
 * A valid .xlsx whose one sheet carries `padding` bytes of whitespace: with 400 MB it is the
 * audit's 412 kB file that unpacks to 400 MB. `claimSheetSize` makes the directory lie about it.
 */
export async function whitespaceWorkbook(padding: number, claimSheetSize?: number): Promise<Buffer> {
  const sheet = await paddedPart('xl/worksheets/sheet1.xml', SHEET_HEAD, padding, SHEET_TAIL);
  if (claimSheetSize !== undefined) sheet.claimedSize = claimSheetSize;
  return zip([
    deflatePart('[Content_Types].xml', CONTENT_TYPES),
    deflatePart('_rels/.rels', RELS),
    deflatePart('xl/workbook.xml', WORKBOOK),
    deflatePart('xl/_rels/workbook.xml.rels', WORKBOOK_RELS),
    sheet,
  ]);
}
