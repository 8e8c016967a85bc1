import type { PageRoute } from '../app/page-route.js';

export const route: PageRoute = { path: '/catalog/new', title: 'Register an app' };
