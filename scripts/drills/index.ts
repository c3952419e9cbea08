// Every fault drill, in the order `npm run drills` runs them. Each drill module adds its own line.
import { backupRestoreDrill } from './backup-restore.ts';
import type { Drill } from './drill.ts';
import { postgresRestartDrill } from './postgres-restart.ts';
import { smtpOutageDrill } from './smtp-outage.ts';
import { temporalRestartDrill } from './temporal-restart.ts';
import { workerKillDrill } from './worker-kill.ts';

export const DRILLS: Drill[] = [
  workerKillDrill,
  temporalRestartDrill,
  smtpOutageDrill,
  postgresRestartDrill,
  backupRestoreDrill,
];
