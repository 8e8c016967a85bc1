import type { ComponentType } from 'react';
import type { RoleName } from '../api/types.js';
import { matchPath } from './router.js';

/**
 * What a page declares about itself in `src/pages/<name>.route.ts` (kept apart from the
 * page's component so that the navigation knows every page without loading any).
 */
export interface PageRoute {
  /** "/projects/:project/volumes"; a `:project` segment makes it a page of the chosen project. */
  path: string;
  title: string;
  /** Where it shows in the navigation; absent: reachable by link only. */
  nav?: { label: string; section: 'project' | 'global' | 'admin'; order: number };
  /** The least role in the current project for the nav entry to show (the API decides anyway). */
  minRole?: RoleName;
  /** Only the admin sees the nav entry. */
  admin?: boolean;
}

export interface PageProps {
  /** The path parameters of the route (":project" → params.project). */
  params: Record<string, string>;
}

export type PageModule = { default: ComponentType<PageProps> };

export interface RegisteredPage {
  name: string;
  route: PageRoute;
  load: () => Promise<PageModule>;
}

/** The page a path shows: the match with the most literal segments wins ("/catalog/new" over "/catalog/:app"). */
export function choosePage<P extends { route: PageRoute }>(pages: readonly P[], path: string): { page: P; params: Record<string, string> } | null {
  let best: { page: P; params: Record<string, string>; score: number } | null = null;
  for (const page of pages) {
    const params = matchPath(page.route.path, path);
    if (!params) continue;
    const score = page.route.path.split('/').filter((s) => s && !s.startsWith(':')).length;
    if (!best || score > best.score) best = { page, params, score };
  }
  return best && { page: best.page, params: best.params };
}
