import type { PageRoute } from '../app/page-route.js';

export const route: PageRoute = { path: '/projects/:project/audit', title: 'Audit log', nav: { label: 'Audit log', section: 'project', order: 90 }, minRole: 'owner' };
