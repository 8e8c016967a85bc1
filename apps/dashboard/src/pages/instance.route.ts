import type { PageRoute } from '../app/page-route.js';

export const route: PageRoute = { path: '/projects/:project/instances/:instance', title: 'Instance' };
