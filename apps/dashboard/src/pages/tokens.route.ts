import type { PageRoute } from '../app/page-route.js';

export const route: PageRoute = { path: '/tokens', title: 'API tokens', nav: { label: 'API tokens', section: 'global', order: 80 } };
