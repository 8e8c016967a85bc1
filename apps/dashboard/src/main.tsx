import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { earlyFetch, startBootRequests } from './api/boot.js';
import { createClient, csrfStore } from './api/client.js';
import { App } from './app/app.js';
import { preloadPage } from './app/registry.js';
import { applyTheme, storedTheme } from './app/theme.js';
import './styles.css';

// The bench reads this mark: every module of the first bundle is loaded and evaluated.
performance.mark('gureum:boot');
applyTheme(storedTheme());
preloadPage(location.pathname);
startBootRequests(createClient(csrfStore.get(), location.origin, earlyFetch()), location.pathname);
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
