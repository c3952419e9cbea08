import { describe, expect, it } from 'vitest';
import { METRIC_LIBRARY, OUTLINES, outlineKeyResults } from './metric-library.ts';
import { suggestMetrics } from './suggest.ts';

const ids = (q: string, limit = 5) => suggestMetrics(q, { limit }).map((s) => s.metric.id);

describe('suggestMetrics', () => {
  it('offers the Phụ lục 4 proxies for a qualitative ideological task', () => {
    const got = ids('Tăng cường công tác tư tưởng', 6);
    for (const id of [
      'so-hoi-nghi-tuyen-truyen',
      'ty-le-dang-vien-tham-gia',
      'diem-bai-thu-hoach',
      'so-bai-viet-bao-ve-nen-tang-tu-tuong',
    ]) {
      expect(got).toContain(id);
    }
    expect(suggestMetrics('Tăng cường công tác tư tưởng', { limit: 6 }).every((s) => s.metric.proxy)).toBe(
      true,
    );
  });

  it('ignores diacritics and case', () => {
    expect(ids('tuyen truyen')).toEqual(ids('Tuyên truyền'));
    expect(ids('GIẢI NGÂN VỐN ĐẦU TƯ CÔNG')).toEqual(ids('giai ngan von dau tu cong'));
    const top = suggestMetrics('tuyen truyen', { limit: 3 });
    for (const s of top) expect(s.metric.title).toMatch(/tuyên truyền/);
  });

  it('works on partial input', () => {
    expect(ids('tuyen tru')[0]).toBe('so-hoi-nghi-tuyen-truyen');
    expect(ids('giải ngâ')[0]).toBe('ty-le-giai-ngan-von-dau-tu-cong');
  });

  it.each([
    ['giai ngan von dau tu cong', 'ty-le-giai-ngan-von-dau-tu-cong'],
    ['Nâng cao chất lượng sinh hoạt chi bộ', 'so-buoi-sinh-hoat-chuyen-de'],
    ['Giảm tai nạn giao thông trên địa bàn', 'so-vu-tai-nan-giao-thong'],
    ['Xây dựng xã không ma túy', 'so-vu-toi-pham-ma-tuy'],
    ['Tiết kiệm chi thường xuyên', 'ty-le-tiet-kiem-chi-thuong-xuyen'],
    ['thu hut dau tu', 'so-du-an-thu-hut'],
  ])('"%s" → %s first', (q, id) => {
    expect(ids(q)[0]).toBe(id);
  });

  it('offers the administrative-reform metrics for the reform task (Phụ lục 1 III, line 474)', () => {
    expect(ids('Đẩy mạnh cải cách hành chính', 3).sort()).toEqual(
      ['chi-so-cai-cach-hanh-chinh', 'so-quy-trinh-hoan-thien', 'ty-le-cat-giam-thu-tuc-hanh-chinh'].sort(),
    );
  });

  it('offers the Phụ lục 3 petition metrics for citizen reception', () => {
    const got = ids('Làm tốt công tác tiếp công dân, giải quyết khiếu nại tố cáo');
    expect(got).toEqual(
      expect.arrayContaining([
        'ty-le-don-thu-tra-loi-dung-han',
        'thoi-gian-xu-ly-don-thu',
        'diem-hai-long-giai-quyet-khieu-nai',
      ]),
    );
  });

  it('finds, for every example key result of the outlines typed as it stands, its own metric in the top 5', () => {
    for (const outline of OUTLINES) {
      for (const { keyResult } of outlineKeyResults(outline)) {
        expect(ids(keyResult.title), keyResult.title).toContain(keyResult.metricId);
      }
    }
  });

  it('gives a bonus to the known perspective', () => {
    const plain = suggestMetrics('đào tạo', { limit: 20 });
    const learning = suggestMetrics('đào tạo', { limit: 20, perspective: 'learning' });
    const first = learning[0];
    expect(first?.metric.perspective).toBe('learning');
    const before = plain.find((s) => s.metric.id === first?.metric.id);
    expect(first?.score).toBeCloseTo((before?.score ?? 0) + 1.5);
    expect(suggestMetrics('tập huấn doanh nghiệp', { perspective: 'citizens' })[0]?.metric.id).toBe(
      'ty-le-doanh-nghiep-duoc-tap-huan',
    );
  });

  it('returns nothing for empty or unrelated input, and respects the limit', () => {
    expect(suggestMetrics('')).toEqual([]);
    expect(suggestMetrics('   ')).toEqual([]);
    expect(suggestMetrics('zzqx')).toEqual([]);
    expect(suggestMetrics('tuyên truyền', { limit: 2 })).toHaveLength(2);
    expect(suggestMetrics('tuyên truyền', { limit: 0 })).toEqual([]);
  });

  it('searches a given library', () => {
    const only = METRIC_LIBRARY.filter((m) => m.perspective === 'budget');
    expect(suggestMetrics('tuyên truyền', { library: only })).toEqual([]);
    expect(suggestMetrics('giải ngân', { library: only })[0]?.metric.id).toBe(
      'ty-le-giai-ngan-von-dau-tu-cong',
    );
  });
});
