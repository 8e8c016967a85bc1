import type { PageRoute } from '../app/page-route.js';

export const route: PageRoute = { path: '/admin/audit', title: 'Audit log', nav: { label: 'Audit log', section: 'admin', order: 90 }, admin: true };
