// What every fault drill (issue 9 point 2) is: a named run on servers of its own (scripts/drills/servers.ts) that
// breaks one dependency and then checks what must stay true. `quick` is the version `npm test` runs (few persons,
// short outages); the full one is `npm run drills`.

export interface DrillCheck {
  /** What must be true, in a sentence (e.g. "every accepted check-in is present exactly once"). */
  what: string;
  ok: boolean;
  /** The figures behind the verdict (e.g. "120 accepted, 120 present once"). */
  detail?: string;
}

export interface DrillResult {
  name: string;
  checks: DrillCheck[];
  /** Figures worth printing (outage length, 503 answers seen, longest answer while down …). */
  figures: Record<string, string | number>;
}

export interface DrillOptions {
  quick: boolean;
  log: (line: string) => void;
}

export interface Drill {
  /** Short name, used by `npm run drills -- --only <name>`. */
  name: string;
  title: string;
  run(o: DrillOptions): Promise<DrillResult>;
}

export const passed = (r: DrillResult) => r.checks.length > 0 && r.checks.every((c) => c.ok);

/** Collects checks as a drill goes. */
export function checklist() {
  const checks: DrillCheck[] = [];
  return {
    checks,
    check(what: string, ok: boolean, detail?: string) {
      checks.push({ what, ok, ...(detail === undefined ? {} : { detail }) });
      return ok;
    },
  };
}
