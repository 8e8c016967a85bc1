import type { PageRoute } from '../app/page-route.js';

export const route: PageRoute = { path: '/projects/:project/volumes', title: 'Volumes', nav: { label: 'Volumes', section: 'project', order: 40 } };
