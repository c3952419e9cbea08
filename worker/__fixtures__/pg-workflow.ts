// A workflow that imports a database driver: bundling it must fail (worker/bundle.test.ts).
import pg from 'pg';

export async function pgWorkflow(): Promise<number> {
  return new pg.Pool().totalCount;
}
