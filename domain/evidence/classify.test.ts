import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { classifyEvidence, isPlainText } from './classify.ts';
import {
  cleanFileName,
  DEFAULT_EVIDENCE_LIMITS,
  EVIDENCE_MESSAGES,
  extensionOf,
  formatBytes,
} from './policy.ts';
import { csv, docx, exe, html, jpeg, odt, pdf, png, storedZip } from './test-files.ts';

async function xlsx(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('Số liệu').addRow(['Hồ sơ', 1234.5]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('classifyEvidence accepts each allowed kind by its content', () => {
  it.each([
    ['bien-ban.pdf', 'application/pdf', pdf(), 'pdf', 'application/pdf'],
    ['anh-chup.PNG', 'image/png', png(), 'png', 'image/png'],
    ['anh.jpg', 'image/jpeg', jpeg(), 'jpeg', 'image/jpeg'],
    ['anh.jpeg', null, jpeg(), 'jpeg', 'image/jpeg'],
    [
      'quyet-dinh.docx',
      'application/octet-stream',
      docx(),
      'docx',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    ],
    ['van-ban.odt', null, odt(), 'odt', 'application/vnd.oasis.opendocument.text'],
    ['so-lieu.csv', 'application/vnd.ms-excel', csv(), 'csv', 'text/csv'],
    [
      'ghi-chu.txt',
      'text/plain; charset=utf-8',
      Buffer.from('Đã hoàn thành đúng hạn.\r\n'),
      'txt',
      'text/plain',
    ],
  ] as const)('%s', async (name, declared, bytes, kind, mime) => {
    const v = await classifyEvidence(bytes, name, declared);
    expect(v).toEqual({ ok: true, kind, mime, fileName: name, size: bytes.length });
  });

  it('an xlsx written by exceljs', async () => {
    const bytes = await xlsx();
    const v = await classifyEvidence(bytes, 'Số liệu tháng 01.xlsx', null);
    expect(v).toMatchObject({ ok: true, kind: 'xlsx', fileName: 'Số liệu tháng 01.xlsx' });
  });
});

describe('classifyEvidence refuses', () => {
  it('an empty file', async () => {
    const v = await classifyEvidence(new Uint8Array(0), 'rong.pdf', 'application/pdf');
    expect(v).toMatchObject({ ok: false, code: 'EVIDENCE_EMPTY' });
    if (!v.ok) expect(v.message.vi).toBe('Tệp "rong.pdf" không có nội dung.');
  });

  it('a file above the limit (configurable), with sizes in each language', async () => {
    const big = Buffer.concat([pdf(), Buffer.alloc(DEFAULT_EVIDENCE_LIMITS.maxBytes)]);
    const v = await classifyEvidence(big, 'lon.pdf', 'application/pdf');
    expect(v).toMatchObject({ ok: false, code: 'EVIDENCE_TOO_LARGE' });
    if (v.ok) return;
    expect(v.message.vi).toBe(
      'Tệp "lon.pdf" có dung lượng 10 MB, vượt quá giới hạn 10 MB cho mỗi tệp minh chứng.',
    );
    const small = await classifyEvidence(Buffer.concat([pdf(), Buffer.alloc(1600)]), 'a.pdf', null, {
      ...DEFAULT_EVIDENCE_LIMITS,
      maxBytes: 1024,
    });
    expect(small).toMatchObject({ ok: false, code: 'EVIDENCE_TOO_LARGE' });
    if (!small.ok) {
      expect(small.message.vi).toContain('giới hạn 1 KB');
      expect(small.message.en).toMatch(/is 1\.\d KB, above the limit of 1 KB/);
      expect(small.message.vi).toMatch(/dung lượng 1,\d KB/);
    }
    expect(
      await classifyEvidence(pdf(), 'a.pdf', null, { ...DEFAULT_EVIDENCE_LIMITS, maxBytes: 1024 }),
    ).toMatchObject({
      ok: true,
    });
  });

  it('a kind not accepted, by its extension', async () => {
    for (const name of ['chay.exe', 'trang.html', 'khong-duoi', 'anh.gif', 'nen.zip']) {
      const v = await classifyEvidence(exe(), name, null);
      expect(v, name).toMatchObject({ ok: false, code: 'EVIDENCE_TYPE_NOT_ALLOWED' });
      if (!v.ok)
        expect(v.message.en).toContain(
          '.pdf, .png, .jpg, .jpeg, .webp, .docx, .xlsx, .odt, .ods, .txt, .csv',
        );
    }
    const onlyPdf = { ...DEFAULT_EVIDENCE_LIMITS, kinds: ['pdf'] as const };
    expect(await classifyEvidence(png(), 'anh.png', null, onlyPdf)).toMatchObject({
      ok: false,
      code: 'EVIDENCE_TYPE_NOT_ALLOWED',
    });
  });

  it('disguised files: a program, a web page, an image or an archive renamed', async () => {
    const cases: [string, Buffer, string][] = [
      ['bao-cao.pdf', exe(), 'application/x-msdownload'],
      ['bao-cao.pdf', html(), 'text/html'],
      ['ghi-chu.txt', html(), 'text/html'],
      ['so-lieu.csv', exe(), 'application/x-msdownload'],
      ['anh.jpg', png(), 'image/png'],
      ['quyet-dinh.docx', storedZip([['a.txt', 'x']]), 'application/zip'],
      ['quyet-dinh.docx', odt(), 'application/vnd.oasis.opendocument.text'],
      ['ghi-chu.txt', Buffer.from([0x48, 0x69, 0x00, 0x01, 0xff, 0xfe]), 'unknown'],
      ['bao-cao.pdf', Buffer.from('Không phải PDF'), 'text/plain'],
    ];
    for (const [name, bytes, actual] of cases) {
      const v = await classifyEvidence(bytes, name, null);
      expect(v, `${name} ← ${actual}`).toMatchObject({ ok: false, code: 'EVIDENCE_TYPE_MISMATCH' });
      if (!v.ok) {
        expect(v.params.actual).toBe(actual);
        expect(v.message.vi).toContain(`nội dung thực tế: ${actual}`);
        expect(v.message.en).toContain(`actual content: ${actual}`);
      }
    }
  });

  it('a declared MIME type naming another accepted kind', async () => {
    const v = await classifyEvidence(pdf(), 'bien-ban.pdf', 'image/png');
    expect(v).toMatchObject({ ok: false, code: 'EVIDENCE_TYPE_MISMATCH', params: { declared: 'image/png' } });
  });

  it('an empty or control-character name', async () => {
    for (const name of ['', '   ', 'thu\u0007muc.pdf', `${'a'.repeat(256)}.pdf`, 'C:\\tmp\\']) {
      expect(await classifyEvidence(pdf(), name, null), JSON.stringify(name)).toMatchObject({
        ok: false,
        code: 'EVIDENCE_NAME_INVALID',
      });
    }
  });
});

describe('policy helpers', () => {
  it('keeps the last path segment of a name, NFC', () => {
    expect(cleanFileName('C:\\Users\\an\\Biên bản.pdf')).toBe('Biên bản.pdf');
    expect(cleanFileName('/tmp/x/Ảnh 1.png ')).toBe('Ảnh 1.png');
    expect(cleanFileName('Hoa\u0300.pdf')).toBe('Hoà.pdf');
    expect(extensionOf('a.tar.PDF')).toBe('pdf');
    expect(extensionOf('.pdf')).toBe('');
    expect(extensionOf('README')).toBe('');
  });

  it('formats sizes per language and tells text from binary', () => {
    expect(formatBytes(512, 'vi')).toBe('512 B');
    expect(formatBytes(1536, 'vi')).toBe('1,5 KB');
    expect(formatBytes(1536, 'en')).toBe('1.5 KB');
    expect(formatBytes(10 * 1024 * 1024, 'en')).toBe('10 MB');
    expect(isPlainText(csv())).toBe(true);
    expect(isPlainText(html())).toBe(false);
    expect(isPlainText(Buffer.from([0xc3, 0x28]))).toBe(false);
  });

  it('has a Vietnamese and an English message for every code', () => {
    for (const [code, t] of Object.entries(EVIDENCE_MESSAGES)) {
      expect(t.vi, code).not.toBe(t.en);
      expect(t.vi.length).toBeGreaterThan(10);
    }
  });
});
