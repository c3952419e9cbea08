import { describe, expect, it } from 'vitest';
import {
  decideReopening,
  isPeriodLocked,
  periodStatus,
  reportingPeriods,
  requestReopening,
} from './period-lock.ts';
import { computePlanYearCalendar } from './plan-year.ts';
import { VN_2026 } from './profiles/vn-2026.ts';
import { vnInstant } from './vn-time.ts';

const periods = reportingPeriods(computePlanYearCalendar(VN_2026, 2026));
const march = periods.find((p) => p.id === '2026-03')!;
const q3 = periods.find((p) => p.id === '2026-Q3')!;

describe('period locks', () => {
  it('March 2026 opens 1/3 and locks when its check-in window closes (due Mon 6/4, so at 00:00 VN on 7/4)', () => {
    expect(march).toMatchObject({ kind: 'month', from: '2026-03-01', to: '2026-03-31' });
    expect(periodStatus(march, vnInstant('2026-02-28', 23, 59))).toBe('not-open');
    expect(periodStatus(march, vnInstant('2026-04-06', 23, 59))).toBe('open');
    expect(periodStatus(march, vnInstant('2026-04-07', 0, 0))).toBe('locked');
    // Q3 closes with the quarterly report, 10/10 Sat → Mon 12/10
    expect(q3).toMatchObject({ from: '2026-07-01', to: '2026-09-30' });
    expect(isPeriodLocked(q3, vnInstant('2026-10-12', 17))).toBe(false);
    expect(isPeriodLocked(q3, vnInstant('2026-10-13'))).toBe(true);
    expect(periods).toHaveLength(16);
  });

  it('a personal item reopens only with a reason, approved by the unit head, until the end the approver sets', () => {
    const now = vnInstant('2026-04-08', 9);
    expect(() =>
      requestReopening({
        period: march,
        ownership: 'personal',
        subjectId: 'u1',
        reason: '  ',
        requestedBy: 'u1',
        now,
      }),
    ).toThrow(/reason/);
    const req = requestReopening({
      period: march,
      ownership: 'personal',
      subjectId: 'u1',
      reason: 'ốm, nộp muộn',
      requestedBy: 'u1',
      now,
    });
    expect(req.approverRole).toBe('unit-head');
    expect(() =>
      decideReopening(req, {
        approved: true,
        by: 's1',
        byRole: 'secretariat',
        at: now,
        reopenUntil: now + 1,
      }),
    ).toThrow(/unit-head/);
    expect(() =>
      decideReopening(req, { approved: true, by: 'u1', byRole: 'unit-head', at: now, reopenUntil: now + 1 }),
    ).toThrow(/own/);
    const until = vnInstant('2026-04-10');
    const ok = decideReopening(req, {
      approved: true,
      by: 'h1',
      byRole: 'unit-head',
      at: vnInstant('2026-04-08', 10),
      reopenUntil: until,
    });
    expect(req.decision).toBeUndefined(); // the request value is not mutated
    expect(periodStatus(march, vnInstant('2026-04-08', 9, 59), [ok])).toBe('locked');
    expect(periodStatus(march, vnInstant('2026-04-09', 12), [ok])).toBe('reopened');
    expect(periodStatus(march, vnInstant('2026-04-09', 12), [ok], 'u1')).toBe('reopened');
    expect(periodStatus(march, vnInstant('2026-04-09', 12), [ok], 'u2')).toBe('locked'); // someone else's period stays locked
    expect(periodStatus(march, until, [ok])).toBe('locked');
    // a refused request leaves it locked
    const no = decideReopening(req, {
      approved: false,
      by: 'h1',
      byRole: 'unit-head',
      at: vnInstant('2026-04-08', 10),
    });
    expect(periodStatus(march, vnInstant('2026-04-09', 12), [no])).toBe('locked');
  });

  it("a unit item's reopening is decided by the secretariat, and an open period cannot be reopened", () => {
    const req = requestReopening({
      period: march,
      ownership: 'unit',
      subjectId: 'unit-7',
      reason: 'số liệu bổ sung',
      requestedBy: 'u1',
      now: vnInstant('2026-04-08'),
    });
    expect(req.approverRole).toBe('secretariat');
    expect(() =>
      requestReopening({
        period: march,
        ownership: 'unit',
        subjectId: 'unit-7',
        reason: 'x',
        requestedBy: 'u1',
        now: vnInstant('2026-04-06', 12),
      }),
    ).toThrow(/not locked/);
  });
});
