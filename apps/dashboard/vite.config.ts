import { routePaths, type RouteId } from '@gureum/contract';
import { defineConfig, type HtmlTagDescriptor, type Plugin } from 'vite';

/** The page most first visits land on ("/" leads there): its chunks load with the entry, not after it. */
const FIRST_PAGE = 'src/pages/instances.page.tsx';

/** `<link rel=modulepreload>` for FIRST_PAGE's chunk and every chunk it imports, directly or not. */
function preloadFirstPage(): Plugin {
  return {
    name: 'gureum-preload-first-page',
    transformIndexHtml: {
      order: 'post',
      handler: (_html, ctx) => {
        if (!ctx.bundle) return [];
        const chunks = new Map(Object.values(ctx.bundle).flatMap((c) => (c.type === 'chunk' ? [[c.fileName, c] as const] : [])));
        const page = [...chunks.values()].find((c) => c.facadeModuleId?.endsWith(FIRST_PAGE));
        if (!page) throw new Error(`no chunk for ${FIRST_PAGE}`);
        // The entry's own imports are in the HTML already.
        const seen = new Set(ctx.chunk ? [ctx.chunk.fileName, ...ctx.chunk.imports] : []);
        const wanted: string[] = [];
        const visit = (file: string) => {
          if (seen.has(file)) return;
          seen.add(file);
          wanted.push(file);
          for (const i of chunks.get(file)?.imports ?? []) visit(i);
        };
        visit(page.fileName);
        return wanted.map((file): HtmlTagDescriptor => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `/${file}` }, injectTo: 'head' }));
      },
    },
  };
}

/** index.html's early requests name routes as `__ROUTE_<id>__`: their paths come from the contract. */
function routePathsInHtml(): Plugin {
  return {
    name: 'gureum-route-paths',
    transformIndexHtml: (html) =>
      html.replace(/__ROUTE_(\w+)__/g, (_m, id: string) => {
        if (!Object.hasOwn(routePaths, id)) throw new Error(`index.html names an unknown route ${id}`);
        return routePaths[id as RouteId].path;
      }),
  };
}

// Served by Gureum itself at /: assets under /assets/ with hashed names (cached for a year).
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [routePathsInHtml(), preloadFirstPage()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
  server: {
    // `npm run dev -w apps/dashboard` against a Gureum on :7070.
    proxy: { '/api': { target: 'http://127.0.0.1:7070', ws: true } },
  },
});
