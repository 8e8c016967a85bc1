import type { PageRoute } from '../app/page-route.js';

export const route: PageRoute = { path: '/admin/audit', title: 'Audit log of Gureum', nav: { label: 'All audit logs', section: 'admin', order: 90 }, admin: true };
