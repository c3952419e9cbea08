// How the dashboards print their numbers (Vietnamese first: domain/format) and name their traffic lights and peer
// positions from the catalogues.
import { m } from '#lib/paraglide/messages.js';
import { formatNumber, formatPercent } from '../../../../domain/format/number.ts';

export type Light = 'green' | 'amber' | 'red' | null;
export type Locale = 'vi' | 'en';

/** A ratio as a percentage with at most one decimal ("92,5%"), or the catalogue's dash for none. */
export const pct = (ratio: string | null | undefined, locale: Locale) =>
  ratio == null ? m.dash_none() : formatPercent(ratio, locale, { maxFractionDigits: 1 });

/** A value the locale's way, at most 2 decimals. */
export const num = (v: string | null | undefined, locale: Locale) =>
  v == null || v === '' ? m.dash_none() : formatNumber(v, locale, { maxFractionDigits: 2 });

export const lightText = (l: Light) =>
  l === 'green'
    ? m.dash_light_green()
    : l === 'amber'
      ? m.dash_light_amber()
      : l === 'red'
        ? m.dash_light_red()
        : m.dash_light_none();

export const positionText = (p: 'top' | 'upper' | 'lower' | 'bottom' | null) =>
  p === 'top'
    ? m.dash_peer_top()
    : p === 'upper'
      ? m.dash_peer_upper()
      : p === 'lower'
        ? m.dash_peer_lower()
        : p === 'bottom'
          ? m.dash_peer_bottom()
          : m.dash_none();

export const groupText = (g: string) =>
  g === 'agency'
    ? m.dash_group_agency()
    : g === 'commune'
      ? m.dash_group_commune()
      : g === 'party_body'
        ? m.dash_group_party_body()
        : m.dash_group_other();

/** The month number of 'YYYY-MM'. */
export const monthNo = (period: string) => Number(period.slice(5, 7));
