// The text of a PDF as a reader sees it (poppler's pdftotext, from Debian): tests assert on what is printed, not
// on the drawing calls. `layout` keeps columns side by side; `raw` keeps the content stream's order. By default
// every run of white space becomes one space, so a wrapped line still matches.
import { execFileSync } from 'node:child_process';

export function pdfText(
  bytes: Uint8Array | ArrayBuffer,
  opts: { mode?: 'layout' | 'raw'; flat?: boolean } = {},
): string {
  const input = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const text = execFileSync('pdftotext', [`-${opts.mode ?? 'layout'}`, '-', '-'], {
    input,
    encoding: 'utf8',
  });
  return opts.flat === false ? text : text.replace(/\s+/g, ' ');
}
