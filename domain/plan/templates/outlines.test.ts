// The outlines and the metric library against seed 004 (line numbers refer to
// shared/seeds/004_f7138e65d59d58e5.txt, read when the data was transcribed).

import { describe, expect, it } from 'vitest';
import { PERSPECTIVES, type Perspective } from '../model.ts';
import { AGENCY_OUTLINE } from './agency-outline.ts';
import { COMMUNE_OUTLINE } from './commune-outline.ts';
import { METRIC_LIBRARY, metricById, OUTLINES, outlineKeyResults } from './metric-library.ts';
import type { PlanOutline, TemplateSection, TemplateTask } from './types.ts';

function sections(outline: PlanOutline): TemplateSection[] {
  const out: TemplateSection[] = [];
  const walk = (s: TemplateSection): void => {
    out.push(s);
    s.children.forEach(walk);
  };
  outline.sections.forEach(walk);
  return out;
}

function tasks(outline: PlanOutline): TemplateTask[] {
  return sections(outline).flatMap((s) => s.tasks);
}

function section(outline: PlanOutline, code: string): TemplateSection {
  const s = sections(outline).find((x) => x.code === code);
  if (s === undefined) throw new Error(`no section ${code}`);
  return s;
}

function allText(outline: PlanOutline): string[] {
  return sections(outline).flatMap((s) => [
    s.title,
    s.number,
    ...(s.aim === undefined ? [] : [s.aim]),
    ...(s.guidance === undefined ? [] : [s.guidance]),
    ...s.suggestedKeyResults.map((k) => k.title),
    ...s.tasks.flatMap((t) => [
      t.title,
      ...(t.detail === undefined ? [] : [t.detail]),
      ...t.resolutions,
      ...t.keyResults.map((k) => k.title),
    ]),
  ]);
}

describe('plan outlines', () => {
  it.each(OUTLINES.map((o) => [o.id, o] as const))(
    '%s: every section maps to a perspective, children to their parent’s',
    (_, outline) => {
      for (const s of sections(outline)) {
        expect(PERSPECTIVES).toContain(s.perspective);
        for (const c of s.children) expect(c.perspective).toBe(s.perspective);
      }
      // The four parts are the four perspectives, in DESIGN §2's order.
      expect(outline.sections.map((s) => s.perspective)).toEqual([...PERSPECTIVES]);
    },
  );

  it('ids are unique across both outlines and the library', () => {
    const ids = OUTLINES.flatMap((o) =>
      sections(o).flatMap((s) => [
        s.id,
        ...s.suggestedKeyResults.map((k) => k.id),
        ...s.tasks.flatMap((t) => [t.id, ...t.keyResults.map((k) => k.id)]),
      ]),
    );
    expect(new Set(ids).size).toBe(ids.length);
    const metricIds = METRIC_LIBRARY.map((m) => m.id);
    expect(new Set(metricIds).size).toBe(metricIds.length);
    for (const id of metricIds) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('Phụ lục 1 (agencies) has the seed’s four parts I–IV', () => {
    // Lines 439, 442, 473, 484.
    expect(AGENCY_OUTLINE.sections.map((s) => [s.number, s.seedLine])).toEqual([
      ['I/', 439],
      ['II/', 442],
      ['III/', 473],
      ['IV/', 484],
    ]);
    expect(AGENCY_OUTLINE.subtitle).toBe('Đối với các cơ quan, đơn vị'); // line 427
    expect(section(AGENCY_OUTLINE, 'I').title).toBe(
      'Các nhiêm vụ và mục tiêu theo sứ mệnh, chức năng, nhiệm vụ chung',
    );
    expect(section(AGENCY_OUTLINE, 'II').title).toBe('Ngân sách và Hiệu quả sử dụng nguồn lực');
    expect(section(AGENCY_OUTLINE, 'III').title).toMatch(
      /^Công tác hoàn thiện, tối ưu hóa các quy chế, quy trình/,
    );
    expect(section(AGENCY_OUTLINE, 'IV').title).toBe('Lĩnh vực Học hỏi và Phát triển');
    // IV's items 1–4 under the NQ 57 task (lines 493, 497, 501, 506).
    expect(section(AGENCY_OUTLINE, 'IV').children.map((c) => c.title)).toEqual([
      'Nhiệm vụ Phát triền về nguồn nhân lực',
      'Nhiệm vụ Phát triển vệ hạ tầng, các điều kiện làm việc khác',
      'Về các phần mềm ứng dụng…',
      'Khác …',
    ]);
    // II: Nhiệm vụ 1–4 (lines 445, 452, 458, 465) with 4, 4, 4 and 3 key results.
    expect(section(AGENCY_OUTLINE, 'II').tasks.map((t) => t.keyResults.length)).toEqual([4, 4, 4, 3]);
    expect(section(AGENCY_OUTLINE, 'IV').tasks[2]?.resolutions).toContain('nghị quyết 57'); // line 492
  });

  it('Phụ lục 2 (communes, wards) has the seed’s parts and sections', () => {
    // Phần I–IV at lines 532, 731, 765, 776.
    expect(COMMUNE_OUTLINE.sections.map((s) => [s.number, s.seedLine])).toEqual([
      ['Phần I.', 532],
      ['Phần II .', 731],
      ['Phần III/', 765],
      ['Phần IV/', 776],
    ]);
    expect(COMMUNE_OUTLINE.subtitle).toBe('Đối với các xã, phường'); // line 522
    // Phần I: I- party building (533) and II- socio-economic development, defence, foreign affairs (614).
    expect(section(COMMUNE_OUTLINE, 'P1').children.map((c) => c.title)).toEqual([
      'VỀ CÔNG TÁC XÂY DỰNG ĐẢNG VÀ HỆ THỐNG CHÍNH TRỊ',
      'VỀ LÃNH ĐẠO THỰC HIỆN NHIỆM VỤ PHÁT TRIỂN KINH TẾ - XÃ HỘI, BẢO ĐẢM QUỐC PHÒNG - AN NINH, CÔNG TÁC ĐỐI NGOẠI',
    ]);
    // I.1–I.5 and I.7 (the seed has no 6): lines 534, 543, 572, 580, 602, 611.
    expect(section(COMMUNE_OUTLINE, 'P1.I').children.map((c) => `${c.number} ${c.title}`)).toEqual([
      '1. Công tác chính trị, tư tưởng',
      '2. Công tác tổ chức xây dựng Đảng',
      '3. Công tác kiểm tra, giám sát và thi hành kỷ luật Đảng',
      '4. Công tác nội chính, cải cách tư pháp và phòng chống tham nhũng, tiêu cực',
      '5. Công tác dân vận và phát huy vai trò của MTTQ và các tổ chức chính trị - xã hội',
      '7. Một số nội dung khác.',
    ]);
    // II.1–II.5: lines 616, 675, 709, 724, 727; II.2 has 2.1–2.7 (679–706).
    expect(section(COMMUNE_OUTLINE, 'P1.II').children.map((c) => c.title)).toEqual([
      'Về phát triển kinh tế',
      'Về lĩnh vực văn hóa - xã hội',
      'Về bảo đảm quốc phòng - an ninh',
      'Công tác đối ngoại',
      'Một số nhiệm vụ khác.',
    ]);
    expect(section(COMMUNE_OUTLINE, 'P1.II.2').children).toHaveLength(7);
    // I.2's example tasks 2.1–2.4 and 2.6–2.8 (the seed has no 2.5): lines 547–568.
    expect(section(COMMUNE_OUTLINE, 'P1.I.2').tasks.map((t) => t.number)).toEqual([
      '2.1. Nhiệm vụ 1',
      '2.2. Nhiệm vụ 2',
      '2.3. Nhiệm vụ 3',
      '2.4. Nhiệm vụ 4',
      '2.6. Nhiêm vụ 6',
      '2.7 Nhiệm vụ 7',
      '2.8. Nhiệm vụ 8',
    ]);
    expect(section(COMMUNE_OUTLINE, 'P1.I.2').tasks[0]?.resolutions).toEqual([
      'Nghị quyết Trung ương 4 (khóa XII; XIII)',
      'Kết luận số 21-KL/TW',
      'Quy định số ... của Ban Thường vụ Tỉnh ủy',
    ]);
    // The digital-commune example under NQ 57 (lines 783–789): 8 targets, all OKR.
    const digital = section(COMMUNE_OUTLINE, 'P4').tasks[1];
    expect(digital?.resolutions).toEqual(['nghị quyết 57']);
    expect(digital?.keyResults.map((k) => k.type)).toEqual(Array(8).fill('OKR'));
  });

  it('the budget part is the same in both appendices (lines 442–471 and 731–761)', () => {
    const strip = (s: TemplateSection) =>
      s.tasks.map((t) => [t.title, t.keyResults.map((k) => [k.title, k.metricId, k.note])]);
    expect(strip(section(COMMUNE_OUTLINE, 'P2'))).toEqual(strip(section(AGENCY_OUTLINE, 'II')));
    expect(section(COMMUNE_OUTLINE, 'P2').aim).toBe(section(AGENCY_OUTLINE, 'II').aim);
  });

  it('only the "nhiệm vụ mang tính đột phá" examples are breakthrough, with OKR key results (lines 478, 770)', () => {
    for (const outline of OUTLINES) {
      const bt = tasks(outline).filter((t) => t.breakthrough);
      expect(bt.map((t) => t.title)).toEqual(['trở thành cơ quan có chất lượng phục vụ tốt nhất']);
      for (const k of bt[0]?.keyResults ?? []) expect([k.type, k.breakthrough]).toEqual(['OKR', true]);
      const others = tasks(outline)
        .filter((t) => !t.breakthrough)
        .flatMap((t) => t.keyResults);
      expect(others.every((k) => !k.breakthrough)).toBe(true);
    }
    expect(tasks(AGENCY_OUTLINE).find((t) => t.breakthrough)?.keyResults[2]?.title).toBe(
      'Phục vụ thân thiện, lịch sự, chú đáo trong mọi hoàn cảnh, đạt chỉ số hài lòng 85%',
    );
  });

  it('all text is NFC, trimmed, without doubled spaces', () => {
    for (const outline of OUTLINES) {
      for (const t of allText(outline)) {
        expect(t).not.toBe('');
        expect(t).toBe(t.normalize('NFC'));
        expect(t).toBe(t.trim());
        expect(t).not.toMatch(/\s{2}/u);
      }
    }
    for (const m of METRIC_LIBRARY)
      for (const t of [m.title, m.unit, ...m.keywords]) expect(t).toBe(t.normalize('NFC'));
  });
});

describe('metric library', () => {
  it('holds every example key result of both outlines, with the same fields and its source', () => {
    let count = 0;
    for (const outline of OUTLINES) {
      for (const { section: s, keyResult: k } of outlineKeyResults(outline)) {
        count++;
        const m = metricById(k.metricId);
        expect(m, k.id).toBeDefined();
        if (m === undefined) continue;
        expect([k.unit, k.direction, k.aggregation, k.cadence]).toEqual([
          m.unit,
          m.direction,
          m.aggregation,
          m.cadence,
        ]);
        expect(m.sources.some((src) => src.doc === outline.doc && src.section === s.code)).toBe(true);
      }
    }
    expect(count).toBeGreaterThan(100);
  });

  it('every entry has a source, and its perspective is one of its outline sections’ when it has any', () => {
    const perspectiveOf = new Map<string, Perspective>(
      OUTLINES.flatMap((o) => sections(o).map((s) => [`${o.doc}:${s.code}`, s.perspective] as const)),
    );
    for (const m of METRIC_LIBRARY) {
      expect(m.sources.length, m.id).toBeGreaterThan(0);
      const fromOutlines = m.sources
        .filter((s) => s.doc === 'PL1' || s.doc === 'PL2')
        .map((s) => perspectiveOf.get(`${s.doc}:${s.section}`));
      if (fromOutlines.length > 0) expect(fromOutlines, m.id).toContain(m.perspective);
      expect(m.titleEn).not.toBe('');
      expect(m.keywords.length).toBeGreaterThan(0);
    }
  });

  it('is deduplicated: one entry per title', () => {
    const titles = METRIC_LIBRARY.map((m) => m.title.toLowerCase());
    expect(new Set(titles).size).toBe(titles.length);
  });

  it('carries the "weigh the elephant" proxies of Phụ lục 4 §2.3 (lines 962–965)', () => {
    const pl4 = METRIC_LIBRARY.filter((m) => m.sources.some((s) => s.doc === 'PL4' && s.section === '2.3'));
    expect(pl4.map((m) => [m.id, m.unit, m.proxy])).toEqual([
      ['so-hoi-nghi-tuyen-truyen', 'hội nghị', true],
      ['ty-le-dang-vien-tham-gia', '%', true],
      ['diem-bai-thu-hoach', 'điểm', true],
      ['so-bai-viet-bao-ve-nen-tang-tu-tuong', 'bài viết', true],
    ]);
  });

  it('keeps directions and aggregations coherent', () => {
    for (const m of METRIC_LIBRARY) {
      expect(m.direction === 'milestone', m.id).toBe(m.aggregation === 'allDone');
    }
    expect(metricById('no-dong-xdcb-phat-sinh')?.direction).toBe('zeroTolerance'); // "Không để phát sinh nợ đọng XDCB", line 448
    expect(metricById('thoi-gian-giai-quyet-ho-so')?.direction).toBe('lower'); // "Rút ngắn 1/3 thời gian", line 481
    expect(metricById('so-vu-tai-nan-giao-thong')?.direction).toBe('lower');
  });
});
