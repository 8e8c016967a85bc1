/** How many lines a log view keeps (older ones fall off the top). */
export const MAX_LINES = 5000;

/** Appends lines, keeping at most `max` of the newest. */
export function appendLines(lines: readonly string[], more: readonly string[], max = MAX_LINES): string[] {
  const all = lines.concat(more);
  return all.length > max ? all.slice(all.length - max) : all;
}

/** The lines containing `search` (case-insensitive); all of them when it is empty. */
export function filterLines(lines: readonly string[], search: string): string[] {
  if (!search) return lines.slice();
  const needle = search.toLowerCase();
  return lines.filter((l) => l.toLowerCase().includes(needle));
}

/** A line cut into parts, those matching `search` marked, for highlighting. */
export function highlight(line: string, search: string): { text: string; match: boolean }[] {
  if (!search) return [{ text: line, match: false }];
  const parts: { text: string; match: boolean }[] = [];
  const lower = line.toLowerCase();
  const needle = search.toLowerCase();
  let at = 0;
  for (;;) {
    const i = lower.indexOf(needle, at);
    if (i < 0) break;
    if (i > at) parts.push({ text: line.slice(at, i), match: false });
    parts.push({ text: line.slice(i, i + needle.length), match: true });
    at = i + needle.length;
  }
  if (at < line.length) parts.push({ text: line.slice(at), match: false });
  return parts;
}

/** The file name a download of these logs gets. */
export function logFileName(project: string, instance: string, now = new Date()): string {
  return `${project}-${instance}-${now.toISOString().replace(/[:.]/g, '-')}.log`;
}
