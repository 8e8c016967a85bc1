import type { PageRoute } from '../app/page-route.js';

export const route: PageRoute = { path: '/admin/alerts', title: 'Firing alerts', nav: { label: 'Firing alerts', section: 'admin', order: 20 }, admin: true };
