import path from 'node:path';
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
        // Its own chunk, or (see firstScreenChunk) inside the chunk of the first screen.
        const page = [...chunks.values()].find((c) => c.facadeModuleId?.endsWith(FIRST_PAGE)) ?? [...chunks.values()].find((c) => c.moduleIds.some((id) => id.endsWith(FIRST_PAGE)));
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

/**
 * Every module the first screen needs (what src/main.tsx imports, and FIRST_PAGE with what it
 * imports) goes in one chunk: on a cold load the browser then asks for two scripts, not
 * sixteen small ones that queue behind each other on its six connections. Pages other than the
 * first, xterm and zod stay in their own chunks, loaded when needed.
 */
/** The contract's barrel and schemas, and zod: left out of the first chunk (see below). */
const SCHEMAS = /\/packages\/contract\/dist\/(index\.js$|schemas\/)|\/node_modules\/zod\//;

function firstScreenChunk(): (id: string, ctx: { getModuleInfo(id: string): { importedIds: readonly string[] } | null }) => string | null {
  const roots = [path.join(import.meta.dirname, 'src/main.tsx'), path.join(import.meta.dirname, FIRST_PAGE)];
  let first: Set<string> | null = null;
  return (id, ctx) => {
    if (!first) {
      first = new Set();
      const visit = (m: string) => {
        if (first!.has(m)) return;
        first!.add(m);
        for (const i of ctx.getModuleInfo(m)?.importedIds ?? []) visit(i);
      };
      roots.forEach(visit);
    }
    // The contract's schemas (and zod behind them) are left to the automatic chunks: pages that
    // validate load them when they open, and the first screen never does.
    return first.has(id) && !SCHEMAS.test(id) ? 'first' : null;
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
    rolldownOptions: { output: { codeSplitting: { groups: [{ name: firstScreenChunk(), debugName: 'first screen', includeDependenciesRecursively: false }] } } },
  },
  server: {
    // `npm run dev -w apps/dashboard` against a Gureum on :7070.
    proxy: { '/api': { target: 'http://127.0.0.1:7070', ws: true } },
  },
});
