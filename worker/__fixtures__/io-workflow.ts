// A workflow that reaches for I/O: bundling it must fail (worker/bundle.test.ts).
import { readFileSync } from 'node:fs';

export async function ioWorkflow(): Promise<string> {
  return readFileSync('/etc/hostname', 'utf8');
}
