/**
 * Escaping for the HTML report. Every string that came from a record, a spec or a backend is hostile
 * until escaped: a backend's error message or a plugin's device name ends up in the page.
 */

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for element content and quoted attribute values (both quote kinds escaped, so either is safe). */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/**
 * JSON for a `<script type="application/json">` block. Escaping `<`, `>` and `&` as \u escapes keeps
 * `</script>` and `<!--` from ending or confusing the script element, and JSON.parse reads them back
 * unchanged; U+2028/2029 are escaped for older parsers that treat them as line ends.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * Inlines trusted JavaScript (the chart library, the page script) into a `<script>` element. Such code
 * cannot contain `</script` or `<!--` without ending the element early, so refuse it rather than
 * rewrite code we do not parse.
 */
export function scriptBody(code: string, what: string): string {
  if (/<\/script|<!--/i.test(code)) throw new Error(`${what}: contains </script or <!--, cannot be inlined safely`);
  return code;
}
