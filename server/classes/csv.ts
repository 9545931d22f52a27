/**
 * One CSV cell (RFC 4180): quoted when it holds a quote, a comma or a line break. A cell that a
 * spreadsheet would read as a formula (=, +, -, @, or a tab or carriage return before one) gets a
 * leading apostrophe, so a learner named `=HYPERLINK(...)` stays text (OWASP, "CSV Injection").
 */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows of cells as CSV text, CRLF line ends as RFC 4180 has them. */
export function csvText(rows: readonly (readonly (string | number)[])[]): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
