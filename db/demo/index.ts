export {
  DEFAULT_APPROVAL_CHAINS,
  DEMO_PROVINCE_CODE,
  DEMO_PROVINCE_NAME,
  DEMO_SEED,
  type DemoProvince,
  generateDemoProvince,
} from './generate.ts';
export { type DemoLoadResult, loadDemoProvince } from './load.ts';
export { DEMO_EMAIL_DOMAIN, DEMO_ROSTER, type DemoAccount } from './roster.ts';
