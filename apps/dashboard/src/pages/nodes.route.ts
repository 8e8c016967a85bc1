import type { PageRoute } from '../app/page-route.js';

export const route: PageRoute = { path: '/nodes', title: 'Nodes', nav: { label: 'Nodes', section: 'global', order: 60 } };
