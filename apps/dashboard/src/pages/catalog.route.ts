import type { PageRoute } from '../app/page-route.js';

export const route: PageRoute = { path: '/catalog', title: 'Catalog', nav: { label: 'Catalog', section: 'global', order: 20 } };
