import type { PageRoute } from '../app/page-route.js';

export const route: PageRoute = { path: '/projects/:project/members', title: 'Members', nav: { label: 'Members', section: 'project', order: 70 } };
