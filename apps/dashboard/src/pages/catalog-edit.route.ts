import type { PageRoute } from '../app/page-route.js';

export const route: PageRoute = { path: '/catalog/:app', title: 'Edit an app' };
