import type { PageRoute } from '../app/page-route.js';

export const route: PageRoute = { path: '/projects/:project/secrets', title: 'Secrets', nav: { label: 'Secrets', section: 'project', order: 50 }, minRole: 'member' };
