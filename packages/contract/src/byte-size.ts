/**
 * A byte size as people write it: 512M, 1G, 1.5GiB, 512Mi or 1048576 (powers of 1024; the
 * `i` and `B` are optional). Undefined when the text is not one.
 */
export function parseByteSize(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b?)$/i.exec(text.trim());
  if (!m) return undefined;
  const power = ['', 'k', 'm', 'g', 't'].indexOf(m[2]!.toLowerCase());
  return Math.round(Number(m[1]) * 1024 ** power);
}
