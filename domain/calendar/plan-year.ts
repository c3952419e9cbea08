// The plan-year calendar (DESIGN §3): every default deadline of plan year Y computed from a calendar
// profile and a settings object, as plain serialisable data (instants plus the local dates they came
// from) that is passed as workflow input and recomputed when an administrator moves a date.
import type { CalendarProfile, LocalDate } from './profile.ts';
import { endOfVnDay, localDate, startOfVnDay } from './vn-time.ts';
import { type DeadlineRoll, type WorkingCalendar, workingCalendar } from './working-days.ts';

/** A day of the calendar relative to the plan year: yearOffset -1 = the year before the plan year. */
export interface FixedDateRule {
  month: number;
  day: number;
  yearOffset: number;
}

export interface PlanYearSettings {
  /** Unit submits its annual plan (30/11 Y-1). */
  submitPlan: FixedDateRule;
  /** Standing committee approves or returns (25/12 Y-1). */
  approvePlan: FixedDateRule;
  /** Q1 plan (10/01 Y). */
  q1Plan: FixedDateRule;
  /** Each month's plan is due by this day of its month (5). */
  monthPlanDay: number;
  /** The check-in for month m is due this day of month m+1 (5). */
  checkInDay: number;
  /** The supervisor verifies a check-in within this many working days of its due date (3). */
  verifyWorkingDays: number;
  /** Period assessment by the direct manager: per month or per quarter (per agency). */
  assessmentPeriod: 'month' | 'quarter';
  /** A period assessment is due this many working days after the period's last verification (2; an assumption: DESIGN gives no day). */
  assessmentAfterVerifyWorkingDays: number;
  /** Quarterly report by this day of the month after the quarter (10). */
  quarterReportDay: number;
  /** Giao ban session on this day of the month after the quarter (20). */
  giaoBanDay: number;
  /** Agenda and dossier sent this many working days before the session (2). */
  giaoBanDossierWorkingDaysBefore: number;
  /** Conclusions and directions published within this many working days after (2). */
  giaoBanConclusionsWorkingDaysAfter: number;
  yearEnd: {
    novemberCheckIn: FixedDateRule; // 3/12
    novemberVerify: FixedDateRule; // 7/12
    selfAssessmentFrom: FixedDateRule; // 1/12
    selfAssessmentTo: FixedDateRule; // 9/12
    supervisorAssessment: FixedDateRule; // 11/12
    /** Ranking decided before 15/12: due 14/12, a legal "before" deadline. */
    ranking: FixedDateRule;
    /** Year-end review session, a working day near 20/12. */
    reviewSession: FixedDateRule;
  };
  /** Deadlines that move back to the previous working day instead of forward. */
  beforeDeadlineIds: string[];
}

export const DEFAULT_PLAN_YEAR_SETTINGS: PlanYearSettings = {
  submitPlan: { month: 11, day: 30, yearOffset: -1 },
  approvePlan: { month: 12, day: 25, yearOffset: -1 },
  q1Plan: { month: 1, day: 10, yearOffset: 0 },
  monthPlanDay: 5,
  checkInDay: 5,
  verifyWorkingDays: 3,
  assessmentPeriod: 'month',
  assessmentAfterVerifyWorkingDays: 2,
  quarterReportDay: 10,
  giaoBanDay: 20,
  giaoBanDossierWorkingDaysBefore: 2,
  giaoBanConclusionsWorkingDaysAfter: 2,
  yearEnd: {
    novemberCheckIn: { month: 12, day: 3, yearOffset: 0 },
    novemberVerify: { month: 12, day: 7, yearOffset: 0 },
    selfAssessmentFrom: { month: 12, day: 1, yearOffset: 0 },
    selfAssessmentTo: { month: 12, day: 9, yearOffset: 0 },
    supervisorAssessment: { month: 12, day: 11, yearOffset: 0 },
    ranking: { month: 12, day: 14, yearOffset: 0 },
    reviewSession: { month: 12, day: 20, yearOffset: 0 },
  },
  beforeDeadlineIds: ['year-end.ranking'],
};

export type DeadlineKind =
  | 'plan-submit'
  | 'plan-approve'
  | 'q1-plan'
  | 'month-plan'
  | 'check-in'
  | 'verify'
  | 'assessment'
  | 'quarter-report'
  | 'giao-ban'
  | 'giao-ban-dossier'
  | 'giao-ban-conclusions'
  | 'self-assessment'
  | 'supervisor-assessment'
  | 'ranking'
  | 'review-session';

export interface Deadline {
  /** Stable id, the key of the overrides map: 'plan.submit', 'check-in.2026-03', 'giao-ban.2026-Q1.dossier'… */
  id: string;
  kind: DeadlineKind;
  /** Period key ('2026-03', '2026-Q1') where the deadline belongs to a period. */
  period?: string;
  /** The date before moving to a working day: from the rule, the override, or the deadline it derives from. */
  nominalDate: LocalDate;
  /** The working day it is due on. */
  date: LocalDate;
  /** Exclusive end of `date` in Asia/Ho_Chi_Minh (epoch ms). */
  dueAt: number;
  roll: DeadlineRoll;
  origin: 'rule' | 'derived' | 'override';
  /** For derived deadlines: the id it is counted from. */
  basedOn?: string;
}

export interface DateWindow {
  id: string;
  from: LocalDate;
  to: LocalDate;
  opensAt: number;
  /** Exclusive. */
  closesAt: number;
}

export interface PlanYearCalendar {
  planYear: number;
  profileId: string;
  timeZone: 'Asia/Ho_Chi_Minh';
  deadlines: Deadline[];
  windows: DateWindow[];
  /** The administrator's moves this calendar was computed with. */
  overrides: Record<string, LocalDate>;
}

const monthKey = (year: number, month: number) => localDate(year, month, 1).slice(0, 7);

/** Computes the plan-year calendar. `overrides` maps a deadline id to the date an administrator set;
 *  the date still moves to a working day, and deadlines derived from it follow. */
export function computePlanYearCalendar(
  profile: CalendarProfile,
  planYear: number,
  settings: PlanYearSettings = DEFAULT_PLAN_YEAR_SETTINGS,
  overrides: Record<string, LocalDate> = {},
): PlanYearCalendar {
  if (!Number.isInteger(planYear)) throw new RangeError(`plan year must be an integer: ${planYear}`);
  const cal: WorkingCalendar = workingCalendar(profile);
  const before = new Set([...settings.beforeDeadlineIds, ...(profile.beforeDeadlineIds ?? [])]);
  const used = new Set<string>();
  const deadlines: Deadline[] = [];
  const byId = new Map<string, Deadline>();

  const add = (
    id: string,
    kind: DeadlineKind,
    computed: LocalDate,
    origin: 'rule' | 'derived',
    extra: { period?: string; basedOn?: string } = {},
  ): Deadline => {
    if (byId.has(id)) throw new Error(`duplicate deadline id ${id}`);
    const roll: DeadlineRoll = before.has(id) ? 'previous' : 'next';
    const override = overrides[id];
    if (override !== undefined) used.add(id);
    const nominalDate = override ?? computed;
    const date = cal.adjustDeadline(nominalDate, roll);
    const d: Deadline = {
      id,
      kind,
      ...(extra.period !== undefined ? { period: extra.period } : {}),
      nominalDate,
      date,
      dueAt: endOfVnDay(date),
      roll,
      origin: override !== undefined ? 'override' : origin,
      ...(extra.basedOn !== undefined ? { basedOn: extra.basedOn } : {}),
    };
    deadlines.push(d);
    byId.set(id, d);
    return d;
  };
  const fixed = (r: FixedDateRule) => localDate(planYear + r.yearOffset, r.month, r.day);
  const derived = (
    id: string,
    kind: DeadlineKind,
    base: Deadline,
    workingDays: number,
    period?: string,
  ): Deadline =>
    add(id, kind, cal.addWorkingDays(base.date, workingDays), 'derived', {
      basedOn: base.id,
      ...(period !== undefined ? { period } : {}),
    });

  add('plan.submit', 'plan-submit', fixed(settings.submitPlan), 'rule');
  add('plan.approve', 'plan-approve', fixed(settings.approvePlan), 'rule');
  add('plan.q1', 'q1-plan', fixed(settings.q1Plan), 'rule', { period: `${planYear}-Q1` });

  const ye = settings.yearEnd;
  const verifyOf = new Map<number, Deadline>();
  for (let m = 1; m <= 12; m++) {
    const period = monthKey(planYear, m);
    add(`month-plan.${period}`, 'month-plan', localDate(planYear, m, settings.monthPlanDay), 'rule', {
      period,
    });
    if (m === 11) {
      add(`check-in.${period}`, 'check-in', fixed(ye.novemberCheckIn), 'rule', { period });
      verifyOf.set(m, add(`verify.${period}`, 'verify', fixed(ye.novemberVerify), 'rule', { period }));
    } else {
      const checkIn = add(
        `check-in.${period}`,
        'check-in',
        localDate(planYear, m + 1, settings.checkInDay),
        'rule',
        {
          period,
        },
      );
      verifyOf.set(m, derived(`verify.${period}`, 'verify', checkIn, settings.verifyWorkingDays, period));
    }
  }

  for (let q = 1; q <= 4; q++) {
    const period = `${planYear}-Q${q}`;
    const afterMonth = 3 * q + 1; // month after the quarter (13 → January Y+1)
    add(
      `quarter-report.${period}`,
      'quarter-report',
      localDate(planYear, afterMonth, settings.quarterReportDay),
      'rule',
      {
        period,
      },
    );
    const session = add(
      `giao-ban.${period}`,
      'giao-ban',
      localDate(planYear, afterMonth, settings.giaoBanDay),
      'rule',
      {
        period,
      },
    );
    derived(
      `giao-ban.${period}.dossier`,
      'giao-ban-dossier',
      session,
      -settings.giaoBanDossierWorkingDaysBefore,
      period,
    );
    derived(
      `giao-ban.${period}.conclusions`,
      'giao-ban-conclusions',
      session,
      settings.giaoBanConclusionsWorkingDaysAfter,
      period,
    );
  }

  if (settings.assessmentPeriod === 'month') {
    for (let m = 1; m <= 12; m++) {
      const v = verifyOf.get(m)!;
      derived(`assessment.${v.period}`, 'assessment', v, settings.assessmentAfterVerifyWorkingDays, v.period);
    }
  } else {
    for (let q = 1; q <= 4; q++) {
      const v = verifyOf.get(3 * q)!;
      derived(
        `assessment.${planYear}-Q${q}`,
        'assessment',
        v,
        settings.assessmentAfterVerifyWorkingDays,
        `${planYear}-Q${q}`,
      );
    }
  }

  const selfTo = add('year-end.self-assessment', 'self-assessment', fixed(ye.selfAssessmentTo), 'rule');
  add('year-end.supervisor', 'supervisor-assessment', fixed(ye.supervisorAssessment), 'rule');
  add('year-end.ranking', 'ranking', fixed(ye.ranking), 'rule');
  add('year-end.review-session', 'review-session', fixed(ye.reviewSession), 'rule');

  const unknown = Object.keys(overrides).filter((id) => !used.has(id));
  if (unknown.length > 0) throw new RangeError(`override for unknown deadline id(s): ${unknown.join(', ')}`);

  const selfFrom = cal.nextWorkingDay(fixed(ye.selfAssessmentFrom));
  const windows: DateWindow[] = [
    {
      id: 'year-end.self-assessment',
      from: selfFrom,
      to: selfTo.date,
      opensAt: startOfVnDay(selfFrom),
      closesAt: selfTo.dueAt,
    },
  ];

  deadlines.sort((a, b) => a.dueAt - b.dueAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    planYear,
    profileId: profile.id,
    timeZone: 'Asia/Ho_Chi_Minh',
    deadlines,
    windows,
    overrides: { ...overrides },
  };
}

export function deadlineById(calendar: PlanYearCalendar, id: string): Deadline {
  const d = calendar.deadlines.find((x) => x.id === id);
  if (!d) throw new RangeError(`no deadline ${id} in the ${calendar.planYear} calendar`);
  return d;
}

/** Recomputes a calendar with one more administrator move (a new value; the old one is unchanged). */
export function moveDeadline(
  profile: CalendarProfile,
  calendar: PlanYearCalendar,
  id: string,
  to: LocalDate,
  settings: PlanYearSettings = DEFAULT_PLAN_YEAR_SETTINGS,
): PlanYearCalendar {
  deadlineById(calendar, id);
  return computePlanYearCalendar(profile, calendar.planYear, settings, { ...calendar.overrides, [id]: to });
}
