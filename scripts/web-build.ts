import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const e of readdirSync(path)) {
    if (e === 'node_modules' || e === 'build' || e === '.svelte-kit' || e === 'paraglide') continue;
    newest = Math.max(newest, newestMtime(join(path, e)));
  }
  return newest;
}

/** Builds web/ (vite build, adapter-node) when web/build is missing or older than its sources. */
export function ensureWebBuild(root: string): void {
  const web = join(root, 'web');
  const built = join(web, 'build', 'index.js');
  const sources = [
    'src',
    'messages',
    'static',
    'svelte.config.js',
    'vite.config.ts',
    'package.json',
    'project.inlang',
  ];
  const newestSource = Math.max(...sources.map((s) => newestMtime(join(web, s))));
  if (existsSync(built) && statSync(built).mtimeMs >= newestSource) return;
  console.log('[start] building the web app (first start or changed sources)…');
  const r = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'error'],
    {
      cwd: web,
      stdio: 'inherit',
    },
  );
  if (r.status !== 0) throw new Error('web build failed');
}
