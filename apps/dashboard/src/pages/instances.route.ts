import type { PageRoute } from '../app/page-route.js';

export const route: PageRoute = { path: '/projects/:project/instances', title: 'Instances', nav: { label: 'Instances', section: 'project', order: 10 } };
