import type { PageRoute } from '../app/page-route.js';

export const route: PageRoute = { path: '/admin/settings', title: 'Settings', nav: { label: 'Settings', section: 'admin', order: 95 }, admin: true };
