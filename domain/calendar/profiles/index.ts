// The calendar profiles shipped with WOMS. Administrators edit copies of these in the database.
import { mergeProfiles } from '../profile.ts';
import { VN_2027_SYNTHETIC } from './synthetic-2027.ts';
import { VN_2026 } from './vn-2026.ts';

export { VN_2026, VN_2027_SYNTHETIC };

/** Default for the demo province: the published 2026 schedule plus the SYNTHETIC 2027 one (so plan years
 *  2026 and 2027, which run into January of the next year, count their holidays). Replace 2027 with the
 *  published schedule when it is announced; `synthetic` is true while it is in. */
export const DEFAULT_CALENDAR_PROFILE = mergeProfiles(
  'vn-default',
  'Việt Nam — 2026 (công bố) + 2027 (tổng hợp, SYNTHETIC)',
  VN_2026,
  VN_2027_SYNTHETIC,
);
