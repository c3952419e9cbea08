import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VN_2026 } from './profiles/vn-2026.ts';
import { sequenceByLevel } from './sequencing.ts';
import { localDateArb, profileArb } from './test-support.ts';
import { workingCalendar } from './working-days.ts';

describe('per-level sequencing', () => {
  it('persons due Thu 12/2/2026: departments +2 (Fri 13/2, Mon 23/2 after Tết), unit +2 (25/2), province +2 (27/2)', () => {
    expect(sequenceByLevel(VN_2026, '2026-02-12').map((l) => `${l.level} ${l.date}`)).toEqual([
      'person 2026-02-12',
      'department 2026-02-23',
      'unit 2026-02-25',
      'province 2026-02-27',
    ]);
  });

  it('check-ins for April 2026: persons Tue 5/5, departments Thu 7/5, unit Mon 11/5, province Wed 13/5', () => {
    expect(sequenceByLevel(VN_2026, '2026-05-05').map((l) => l.date)).toEqual([
      '2026-05-05',
      '2026-05-07',
      '2026-05-11',
      '2026-05-13',
    ]);
  });

  it('property "each level is due later than the one below it, on a working day"', () => {
    fc.assert(
      fc.property(profileArb, localDateArb, (p, d) => {
        const seq = sequenceByLevel(p, d);
        const cal = workingCalendar(p);
        return seq.every(
          (l, i) =>
            cal.isWorkingDay(l.date) && (i === 0 || cal.workingDaysBetween(seq[i - 1]!.date, l.date) === 2),
        );
      }),
    );
  });
});
