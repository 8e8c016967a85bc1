import { routes } from '@gureum/contract';

/** Each route path of the contract as a pattern (a parameter is one non-empty segment), with its methods. */
const patterns: { pattern: RegExp; methods: Set<string> }[] = [];
for (const route of Object.values(routes)) {
  const source = `^${route.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z]+/g, '[^/]+')}$`;
  let entry = patterns.find((p) => p.pattern.source === source);
  if (!entry) patterns.push((entry = { pattern: new RegExp(source), methods: new Set() }));
  entry.methods.add(route.method);
  if (route.method === 'GET') entry.methods.add('HEAD');
}

/** The methods the API answers on this path, when it has the path at all (for 405 and its Allow header). */
export function allowedMethods(path: string): string[] | null {
  const found = patterns.filter((p) => p.pattern.test(path));
  if (found.length === 0) return null;
  return [...new Set(found.flatMap((p) => [...p.methods]))].sort();
}
