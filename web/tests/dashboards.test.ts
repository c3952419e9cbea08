// Browser journeys of the dashboards (issue 7 point 4) in Debian's Chromium, on the demo province with verified
// check-in values of 2021 seeded here for a few agencies and communes (the Department of Finance's official
// attached a PDF to January's value): a leader of the province (the standing committee's demo account) goes from
// the province heatmap to the unit, to the key result (values, formula) and to its evidence in no more than 3
// clicks, counted here; the unit head (Lê Minh Tuấn) sees his unit's 4 perspectives and key results and downloads
// the evidence; the official sees her own results, verified or waiting. Vietnamese and English from the
// catalogues. Each screen: no serious or critical axe violation, no sideways scrolling at 360 px. Nothing here
// starts a workflow.
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureDemoAccounts } from '../../api/auth/demo-accounts.ts';
import { type RunningApi, startApi } from '../../api/server.ts';
import { loadDemoProvince } from '../../db/demo/index.ts';
import { upsertForecast } from '../../db/queries/forecasts.ts';
import { freePort } from '../../devstack/ports.ts';
import { DEFAULT_CALENDAR_PROFILE } from '../../domain/calendar/profiles/index.ts';
import { pdf } from '../../domain/evidence/test-files.ts';
import { dashKr, seedUnitPlan, seedVerifiedValue } from '../../test/support/dashboard-seed.ts';
import { freshDatabase, type TestDatabase } from '../../test/support/database.ts';
import { hasHorizontalScroll, launchBrowser, newContext, seriousAxeViolations } from './support/browser.ts';
import { DEMO_PASSWORD, en, fill, hydrated, open, signInThroughScreen, vi } from './support/demo.ts';
import { ensureWebBuild, type RunningWeb, startWeb } from './support/webapp.ts';

const YEAR = 2021;
const Q = `year=${YEAR}&month=3`;
const FILE = 'bien-ban-so-hoa-thang-1.pdf';

async function sound(page: Page, label: string) {
  expect(await seriousAxeViolations(page), label).toEqual([]);
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: 360, height: 740 });
  // what sticks out, named in the failure message
  const wide = await page.evaluate(() =>
    [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
      .filter((e) => !e.closest('.scroll'))
      .slice(0, 5)
      .map((e) => `${e.tagName}.${e.className}`),
  );
  expect(await hasHorizontalScroll(page), `${label} at 360px: ${wide.join(', ')}`).toBe(false);
  await page.setViewportSize(size);
}

describe('the dashboards', () => {
  let database: TestDatabase;
  let api: RunningApi;
  let web: RunningWeb;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let stc = '';
  let evidenceId = '';

  async function signedIn(email: string): Promise<Page> {
    const context = await newContext(browser);
    contexts.push(context);
    const page = await context.newPage();
    await signInThroughScreen(page, web.url, email, DEMO_PASSWORD);
    return page;
  }

  beforeAll(async () => {
    database = await freshDatabase();
    const { db } = database;
    const demo = await loadDemoProvince(db, { calendarProfile: DEFAULT_CALENDAR_PROFILE });
    await ensureDemoAccounts(db);
    const person = async (email: string) =>
      (await db.selectFrom('person').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
    const official = await person('canbo@demo.woms.vn');
    const supervisor = await person('truongphong@demo.woms.vn');
    const head = await person('giamdoc@demo.woms.vn');
    stc = (await db.selectFrom('org_unit').select('id').where('code', '=', 'STC').executeTakeFirstOrThrow())
      .id;
    const officialUnit = (
      await db
        .selectFrom('employment')
        .select('org_unit_id')
        .where('person_id', '=', official)
        .executeTakeFirstOrThrow()
    ).org_unit_id;

    // The Department of Finance: two key results in two perspectives, values of January to March (March waits).
    const plan = await seedUnitPlan(db, {
      unitId: stc,
      year: YEAR,
      createdBy: head,
      tasks: [
        {
          perspective: 'citizens',
          keyResults: [
            dashKr('k-so-hoa', {
              title: 'Hồ sơ thủ tục hành chính được số hóa',
              target: '1200',
              ownerId: official,
              periodTargets: { '2021-01': '100', '2021-02': '100', '2021-03': '100' },
            }),
          ],
        },
        {
          perspective: 'budget',
          keyResults: [
            dashKr('k-giai-ngan', {
              title: 'Tỷ lệ giải ngân vốn đầu tư công',
              unit: '%',
              target: '95',
              aggregation: 'last',
              ownerId: official,
              periodTargets: { '2021-01': '10', '2021-02': '20', '2021-03': '30' },
            }),
          ],
        },
      ],
    });
    const first = await seedVerifiedValue(db, {
      personId: official,
      unitId: officialUnit,
      period: '2021-01',
      plan,
      krId: 'k-so-hoa',
      value: '80',
      verifiedBy: supervisor,
      evidence: { fileName: FILE, bytes: pdf('Biên bản số hóa hồ sơ tháng 1') },
    });
    evidenceId = first.evidenceId!;
    for (const [period, kr, value] of [
      ['2021-01', 'k-giai-ngan', '12'],
      ['2021-02', 'k-so-hoa', '95'],
      ['2021-02', 'k-giai-ngan', '18.5'],
    ] as const)
      await seedVerifiedValue(db, {
        personId: official,
        unitId: officialUnit,
        period,
        plan,
        krId: kr,
        value,
        verifiedBy: supervisor,
      });
    await seedVerifiedValue(db, {
      personId: official,
      unitId: officialUnit,
      period: '2021-03',
      plan,
      krId: 'k-so-hoa',
      value: '120',
      verifiedBy: supervisor,
      verified: false,
    });

    // The year-end forecast made after February (docs/forecast.md) of the digitised files: its 80% band is drawn
    // on the unit dashboard after February and stated in words.
    await upsertForecast(db, {
      planId: plan.planId,
      keyResultId: 'k-so-hoa',
      forecast: {
        kind: 'projection',
        through: '2021-02',
        method: 'trend',
        observations: 3,
        projected: '1250.5',
        low: '1100',
        high: '1400.25',
        target: '1200',
        pMiss: '0.35',
        warning: false,
      },
    });

    // A few other agencies and communes, one verified value each in January (their peers).
    const others = await db
      .selectFrom('org_unit')
      .select(['id', 'type_code'])
      .where('parent_id', '=', demo.provinceId)
      .where('code', '!=', 'STC')
      .where('type_code', 'in', ['agency', 'commune'])
      .orderBy('type_code')
      .orderBy('code')
      .execute();
    const picked = [
      ...others.filter((u) => u.type_code === 'agency').slice(0, 3),
      ...others.filter((u) => u.type_code === 'commune').slice(0, 3),
    ];
    for (const [i, u] of picked.entries()) {
      const p = await seedUnitPlan(db, {
        unitId: u.id,
        year: YEAR,
        createdBy: head,
        tasks: [
          { perspective: 'citizens', keyResults: [dashKr('k1', { periodTargets: { '2021-01': '100' } })] },
        ],
      });
      const staff = await db
        .selectFrom('employment')
        .select('person_id')
        .where('org_unit_id', '=', u.id)
        .executeTakeFirst();
      await seedVerifiedValue(db, {
        personId: staff?.person_id ?? head,
        unitId: u.id,
        period: '2021-01',
        plan: p,
        krId: 'k1',
        value: String(50 + i * 10),
        verifiedBy: head,
      });
    }

    await ensureWebBuild();
    api = await startApi({
      databaseUrl: database.url,
      temporalAddress: inject('temporalAddress'),
      port: await freePort(),
    });
    web = await startWeb(api.url);
    browser = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await web?.stop();
    await api?.close();
  });

  it('a leader goes from the province heatmap to a key result’s evidence in no more than 3 clicks', async () => {
    const page = await signedIn('thuongtruc@demo.woms.vn');
    // The nav's link leads the province's levels to the province dashboard.
    await Promise.all([
      page.waitForURL(/\/dashboards\/province/),
      page.getByTestId('nav-dashboards').click(),
    ]);
    await open(page, `${web.url}/dashboards/province?${Q}`);
    expect(await page.locator('h1').textContent()).toBe(fill(vi.dash_province_title, { year: String(YEAR) }));
    const row = page.locator('[data-testid="dash-heatmap-row"][data-unit="STC"]');
    // January: (80/100 + 12/10 → capped 1) / 2 = 90%
    expect(await row.locator('[data-period="2021-01"]').textContent()).toContain('90%');
    // March's value waits for verification: not counted
    expect(await row.locator('[data-period="2021-03"]').textContent()).toContain(vi.dash_none);
    const league = page.locator('[data-testid="dash-league-row"][data-unit="STC"]');
    expect(await league.getByTestId('dash-reporting').textContent()).toContain('/');
    expect(await page.getByTestId('dash-peers').textContent()).toContain(vi.dash_group_commune);
    await sound(page, 'province');

    let clicks = 0;
    // 1: the heatmap cell → the unit
    await Promise.all([
      page.waitForURL(/\/dashboards\/unit\//),
      row.locator('[data-period="2021-01"]').click(),
    ]);
    clicks++;
    await hydrated(page);
    expect(await page.locator('h1').textContent()).toContain('Sở Tài chính');
    // 2: the key result → its values, evidence and formula
    await Promise.all([
      page.waitForURL(/\/kr\/k-so-hoa/),
      page.locator('[data-kr="k-so-hoa"]').getByTestId('dash-kr-link').click(),
    ]);
    clicks++;
    await hydrated(page);
    expect(await page.getByTestId('dash-kr-title').textContent()).toBe(
      fill(vi.dash_kr_title, { title: 'Hồ sơ thủ tục hành chính được số hóa' }),
    );
    expect(await page.getByTestId('dash-formula').textContent()).toContain('chỉ tiêu');
    // the cell was January's: the values through January
    const rows = page.getByTestId('dash-value-row');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('80');
    const link = page.getByTestId('dash-evidence');
    expect(await link.textContent()).toBe(FILE);
    await sound(page, 'key result');
    // 3: the evidence, downloaded
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    clicks++;
    expect(new URL(download.url()).pathname).toBe(
      `/api/dashboards/unit/${stc}/key-results/k-so-hoa/evidence/${evidenceId}`,
    );
    expect(download.suggestedFilename()).toBe(FILE);
    const bytes = await readFile((await download.path())!);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(clicks).toBeLessThanOrEqual(3);
  });

  it('the unit head sees the 4 perspectives and key results and downloads the evidence', async () => {
    const page = await signedIn('giamdoc@demo.woms.vn');
    await open(page, `${web.url}/dashboards/unit/${stc}?${Q}`);
    expect(await page.locator('h1').textContent()).toBe(
      fill(vi.dash_unit_title, { unit: 'Sở Tài chính', year: String(YEAR) }),
    );
    // citizens: 175 of 1 200 → 14,6%; budget: the last value 18,5 of 95 → 19,5%
    const perspectives = await page.getByTestId('dash-perspectives').textContent();
    expect(perspectives).toContain('14,6%');
    expect(perspectives).toContain('19,5%');
    expect(await page.getByTestId('dash-kr').count()).toBe(2);
    // the charts are drawn (LayerChart, in the browser): the spider's polygon, a gauge's arc, the trend's lines
    const drawn = (selector: string) =>
      page.waitForSelector(selector, { state: 'attached' }).then((e) => e.getAttribute('d'));
    expect(await drawn('[data-testid="dash-spider"] path.spider-line')).toMatch(/^M/);
    expect(await drawn('[data-testid="dash-gauge"] path.gauge-value')).toMatch(/^M/);
    // the goal line is dashed, beside the values' line
    expect(await drawn('[data-testid="dash-trend"] path[stroke-dasharray]')).toMatch(/^M/);
    expect(await page.getByTestId('dash-unit-peers').textContent()).toContain(vi.dash_group_agency);
    await sound(page, 'unit');
    await open(page, `${web.url}/dashboards/unit/${stc}/kr/k-so-hoa?${Q}`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('dash-evidence').click(),
    ]);
    expect(download.suggestedFilename()).toBe(FILE);
    // the province dashboard is not a unit head's (the tiered rule)
    const other = await page.request.get(`${web.url}/dashboards/province?${Q}`);
    expect(other.status()).toBe(403);
  });

  it("the unit head sees a key result's year-end forecast band after the month it was made, and reads it in words", async () => {
    const page = await signedIn('giamdoc@demo.woms.vn');
    await open(page, `${web.url}/dashboards/unit/${stc}?${Q}`);
    const kr = page.locator('[data-testid="dash-kr"][data-kr="k-so-hoa"]');
    const forecast = kr.getByTestId('dash-forecast');
    expect(await forecast.locator('h4').textContent()).toBe(vi.dashForecast_heading);
    // the band is a shaded area of the chart (an SVG path from February to December), with the median and goal lines
    const bandPath = kr.locator('[data-testid="dash-forecast-chart"] svg path.forecast-band').first();
    await bandPath.waitFor({ state: 'attached' });
    const band = await bandPath.getAttribute('d');
    expect(band).toMatch(/^M/);
    expect(band?.split(/[LC]/).length).toBeGreaterThan(10);
    expect(
      await kr.locator('[data-testid="dash-forecast-chart"] svg path[stroke-dasharray]').count(),
    ).toBeGreaterThanOrEqual(2);
    expect(await kr.getByTestId('dash-forecast-chart').getAttribute('aria-label')).toBe(
      vi.dashForecast_chart_label,
    );
    // the text alternative states the band the Vietnamese way
    const text = (await kr.getByTestId('dash-forecast-text').textContent())?.replace(/\s+/g, ' ').trim();
    expect(text).toContain(
      fill(vi.dashForecast_summary, {
        month: '02/2021',
        median: '1.250,5',
        low: '1.100',
        high: '1.400,25',
        unit: 'hồ sơ',
      }),
    );
    expect(text).toContain(fill(vi.dashForecast_target, { target: '1.200', unit: 'hồ sơ', pMiss: '35%' }));
    expect(await kr.getByTestId('dash-forecast-warning').count()).toBe(0);
    // a key result without a forecast has no band
    expect(await page.locator('[data-kr="k-giai-ngan"] [data-testid="dash-forecast"]').count()).toBe(0);
    await sound(page, 'unit with a forecast');
  });

  it('the official sees her own results, verified or waiting, in English too', async () => {
    const page = await signedIn('canbo@demo.woms.vn');
    await Promise.all([page.waitForURL(/\/dashboards\/me/), page.getByTestId('nav-dashboards').click()]);
    await open(page, `${web.url}/dashboards/me?${Q}`);
    expect(await page.locator('h1').textContent()).toBe(fill(vi.dash_me_title, { year: String(YEAR) }));
    const kr = page.getByTestId('dash-me-kr').filter({ hasText: 'Hồ sơ thủ tục hành chính được số hóa' });
    const text = await kr.textContent();
    expect(text).toContain(vi.dash_me_verified);
    expect(text).toContain(vi.dash_me_waiting);
    await sound(page, 'mine');
    await Promise.all([
      page.waitForFunction(() => document.documentElement.lang === 'en'),
      page.getByTestId('language-switch').click(),
    ]);
    await hydrated(page);
    expect(await page.locator('h1').textContent()).toBe(fill(en.dash_me_title, { year: String(YEAR) }));
    expect(await kr.textContent()).toContain(en.dash_me_waiting);
    await sound(page, 'mine in English');
  });
});
