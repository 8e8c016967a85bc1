import type { PageRoute } from '../app/page-route.js';

export const route: PageRoute = { path: '/images', title: 'Images', nav: { label: 'Images', section: 'global', order: 25 } };
