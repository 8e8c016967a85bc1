import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { bootSettled, earlyFetch, startBootRequests } from './api/boot.js';
import { createClient, csrfStore } from './api/client.js';
import { App } from './app/app.js';
import { preloadPage } from './app/registry.js';
import { applyTheme, storedTheme } from './app/theme.js';
import './styles.css';

/** The longest the first render waits for the first screen's data. */
const FIRST_RENDER_WAIT_MS = 200;

// The bench reads this mark: every module of the first bundle is loaded and evaluated.
performance.mark('gureum:boot');
applyTheme(storedTheme());
const page = preloadPage(location.pathname);
startBootRequests(createClient(csrfStore.get(), location.origin, earlyFetch()), location.pathname);
// index.html asked for the first screen's data while this JavaScript loaded: it has usually
// arrived by now. Render once it is all here (or after a short wait), so the first render
// shows the page with its data rather than "Loading" and then a second render. Not a
// top-level await: the page's module imports this one's chunk, so it could not load while
// this module was still being evaluated.
void bootSettled(FIRST_RENDER_WAIT_MS, [page]).then(() => {
  // The bench reads this mark too: the first render starts.
  performance.mark('gureum:render');
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
});
