// A report file as an HTTP attachment: its media types and its Content-Disposition (the unit reports, the giao
// ban dossier, the dashboards' exports).

export const PDF_TYPE = 'application/pdf';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** "attachment; filename=\"Bao cao thang 04-2026 - So Noi vu.pdf\"; filename*=UTF-8''B%C3%A1o%20c%C3%A1o…" (RFC 6266 +
 *  RFC 5987: an ASCII fallback and the UTF-8 name). */
export function attachmentDisposition(name: string): string {
  const ascii =
    name
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/đ/g, 'd')
      .replace(/Đ/g, 'D')
      .replace(/[^A-Za-z0-9._ -]/g, '_')
      .trim() || 'report';
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
