import type { PageRoute } from '../app/page-route.js';

export const route: PageRoute = { path: '/projects/:project/alerts', title: 'Alerts', nav: { label: 'Alerts', section: 'project', order: 60 } };
