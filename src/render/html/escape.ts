/**
 * Escaping for the HTML report: every string that reaches the page (document ids, titles, texts)
 * is untrusted input.
 */

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escape text for an HTML text node or a quoted attribute value. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * Serialize a value as JSON that is safe inside `<script type="application/json">`: `<`, `>` and
 * `&` become `\u003c`-style escapes so no `</script` or `<!--` can end or confuse the element, and
 * U+2028/U+2029 are escaped because older JavaScript parsers reject them raw. Those characters can
 * only occur inside JSON strings, where the escapes decode to the same text.
 */
export function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
