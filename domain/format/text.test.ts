import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldForSearch, matches } from './text.ts';

describe('foldForSearch', () => {
  it.each([
    ['Kế hoạch năm 2026', 'ke hoach nam 2026'],
    ['Đảng ủy xã', 'dang uy xa'],
    ['ĐOÀN THANH NIÊN', 'doan thanh nien'],
    ['Nghị quyết 57-NQ/TW', 'nghi quyet 57-nq/tw'],
    ['  Học   hỏi\t& phát triển ', 'hoc hoi & phat trien'],
    ['Ưu tiên ỨNG DỤNG', 'uu tien ung dung'],
  ])('%j → %j', (input, expected) => {
    expect(foldForSearch(input)).toBe(expected);
  });

  it('folds precomposed (NFC) and decomposed (NFD) spellings alike', () => {
    const nfc = 'Thẩm định'.normalize('NFC');
    const nfd = 'Thẩm định'.normalize('NFD');
    expect(nfc).not.toBe(nfd);
    expect(foldForSearch(nfc)).toBe(foldForSearch(nfd));
  });

  it('stays idempotent where lower-casing adds a mark (İ → i + combining dot)', () => {
    expect(foldForSearch('İ')).toBe('i');
    expect(foldForSearch(foldForSearch('İstanbul'))).toBe(foldForSearch('İstanbul'));
  });

  it('property: folding is idempotent', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc.string({ unit: fc.constantFrom(...'İıẞßǅǄĐđ\u0307\u0301 aA') }),
        ),
        (s) => {
          const once = foldForSearch(s);
          expect(foldForSearch(once)).toBe(once);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('property: Vietnamese text folds to ASCII', () => {
    const viChar = fc.constantFrom(
      ...'aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ AĂÂĐÊÔƠƯÁẮẤÉẾÍÓỐỚÚỨÝ0123456789'.split(
        '',
      ),
    );
    fc.assert(
      fc.property(fc.array(viChar, { maxLength: 40 }), (chars) => {
        expect(foldForSearch(chars.join(''))).toMatch(/^[a-z0-9 ]*$/);
      }),
    );
  });
});

describe('matches', () => {
  it('finds words regardless of diacritics, case and order', () => {
    expect(matches('Kế hoạch công tác năm 2026 của Đảng ủy', 'dang uy')).toBe(true);
    expect(matches('Kế hoạch công tác năm 2026 của Đảng ủy', 'KE HOACH 2026')).toBe(true);
    expect(matches('Kế hoạch công tác năm 2026', '2026 ke')).toBe(true);
    expect(matches('Cải cách hành chính', 'cai cach hanh chinh')).toBe(true);
    expect(matches('Cải cách hành chính', 'Cải Cách')).toBe(true);
  });
  it('does not match missing words', () => {
    expect(matches('Kế hoạch công tác năm 2026', 'ke hoach 2027')).toBe(false);
    expect(matches('Cải cách hành chính', 'dang')).toBe(false);
  });
  it('an empty query matches everything', () => {
    expect(matches('anything', '')).toBe(true);
    expect(matches('', '   ')).toBe(true);
  });
  it('property: a string always matches itself and any of its words, with or without diacritics', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(matches(s, s)).toBe(true);
        expect(matches(s, foldForSearch(s))).toBe(true);
      }),
    );
  });
});
