// Report renderers (DESIGN §3, issue 6): the monthly unit report as a PDF to print, sign and stamp, and its
// Excel twin. Both take the pure model of domain/report and answer the file's bytes.
export { REPORT_FONTS } from './fonts.ts';
export { renderMinutesPdf, renderUnitDossierPdf } from './giao-ban-pdf.ts';
export { REPORT_MARGINS_MM, renderMonthlyUnitReportPdf } from './monthly-unit-report-pdf.ts';
export { renderMonthlyUnitReportXlsx, XLSX_HEADER_ROW } from './monthly-unit-report-xlsx.ts';
