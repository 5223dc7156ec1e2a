/**
 * XML 1.0 escaping, by hand (no dependency): backend messages carry anything, from tracebacks with `<`
 * and `&` to raw control bytes, and one bad character makes Jenkins reject the whole file.
 */

/**
 * Characters XML 1.0 forbids outright (C0 controls but tab, LF, CR; U+FFFE/U+FFFF; lone surrogates).
 * They cannot even be written as character references, so they become a visible `\xNN` / `\uNNNN`.
 */
const FORBIDDEN = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function visible(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Escapes text content: `&`, `<`, `>` (the last for `]]>`), forbidden characters made visible. */
export function escapeText(s: string): string {
  return s.replace(FORBIDDEN, visible).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Escapes an attribute value for double quotes: also `"` and `'`, and tab/LF/CR as character references,
 * since a parser normalises literal ones in attributes to spaces.
 */
export function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

/** ` name="value"` pairs in order; undefined values are left out. */
export function attrs(pairs: Record<string, string | number | undefined>): string {
  return Object.entries(pairs).filter(([, v]) => v !== undefined).map(([k, v]) => ` ${k}="${escapeAttr(String(v))}"`).join('');
}
