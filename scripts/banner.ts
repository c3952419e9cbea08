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
      (r) => `    ${r.role.padEnd(24)} ${r.email.padEnd(26)} ${r.fullName.padEnd(20)} ${r.descriptionVi}`,
    ),
    '',
    '  Ctrl-C stops everything (dừng toàn bộ).',
    '',
  ];
  return lines.join('\n');
}
