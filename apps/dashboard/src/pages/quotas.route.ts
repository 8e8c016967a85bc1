import type { PageRoute } from '../app/page-route.js';

export const route: PageRoute = { path: '/projects/:project/quota', title: 'Quota and usage', nav: { label: 'Quota', section: 'project', order: 80 } };
