import { choosePage, type PageModule, type PageRoute, type RegisteredPage } from './page-route.js';

// Every src/pages/<name>.route.ts is a page; its component is src/pages/<name>.page.tsx,
// loaded only when the page is first shown (each page is its own chunk).
const routes = import.meta.glob<PageRoute>('../pages/*.route.ts', { eager: true, import: 'route' });
const components = import.meta.glob<PageModule>(['../pages/*.page.tsx', '!../pages/login.page.tsx']);

function nameOf(file: string): string {
  return file.replace(/^.*\//, '').replace(/\.(route\.ts|page\.tsx)$/, '');
}

/** Page modules already loaded, by page name. */
const loaded = new Map<string, PageModule>();

export const registeredPages: RegisteredPage[] = Object.entries(routes).map(([file, route]) => {
  const name = nameOf(file);
  const load = components[`../pages/${name}.page.tsx`];
  if (!load) throw new Error(`page ${name} has a route file but no ${name}.page.tsx`);
  return {
    name,
    route,
    load: () =>
      load().then((module) => {
        loaded.set(name, module);
        return module;
      }),
  };
});

/** The module of a page if it has loaded already (preloadPage, an earlier visit), else undefined. */
export function loadedPage(name: string): PageModule | undefined {
  return loaded.get(name);
}

/**
 * Starts loading the component of the page at `path` now, so that it arrives while the session
 * is being checked instead of after (one round trip less before the first page shows). Settles
 * (never rejects) once it has loaded or failed.
 */
export function preloadPage(path: string): Promise<unknown> {
  const found = choosePage(registeredPages, path);
  return found ? found.page.load().catch(() => undefined) : Promise.resolve();
}
