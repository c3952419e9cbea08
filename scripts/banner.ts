import { SECOND_FACTOR_ROLES } from '../api/auth/accounts.ts';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../api/auth/demo-accounts.ts';
import type { StackConfig } from './config.ts';
import type { RunningStack } from './stack.ts';

/** What `npm start` prints once everything answers: where to go and who to be. */
export function banner(stack: RunningStack, cfg: StackConfig): string {
  const u = stack.urls;
  const lines = [
    '',
    '  WOMS is running — Hệ thống đã sẵn sàng',
    '',
    `  Web app (ứng dụng)          ${u.web}`,
    `  API                         ${u.api}`,
    ...(u.temporalUi ? [`  Temporal Web UI             ${u.temporalUi}`] : []),
    `  Sent mail (thư đã gửi)      ${u.mail}`,
    `  PostgreSQL                  ${u.database}`,
    `  Data folder                 ${cfg.dataDir}   (reset: npm run reset)`,
    '',
    '  Demo people by role (người dùng mẫu theo vai trò):',
    ...stack.roster.map(
      (r) =>
        `    ${r.role.padEnd(24)} ${r.email.padEnd(26)} ${SECOND_FACTOR_ROLES.has(r.role) ? 'TOTP' : '    '}  ${r.fullName.padEnd(20)} ${r.descriptionVi}`,
    ),
    '',
    `  Sign in (đăng nhập): any e-mail above, password ${DEMO_PASSWORD}`,
    `  Second factor (xác thực hai lớp) for TOTP accounts: add secret ${DEMO_TOTP_SECRET} to an authenticator app,`,
    '  or print the current code with: npm run totp',
    '',
    '  Ctrl-C stops everything (dừng toàn bộ).',
    '',
  ];
  return lines.join('\n');
}
