import { defineConfig } from 'vite';

// Served by Gureum itself at /: assets under /assets/ with hashed names (cached for a year).
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
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
