import type { RouteId, RouteOutput, Routes } from '@gureum/contract';

/** What route K answers, as the typed client returns it. */
export type Out<K extends RouteId> = RouteOutput<Routes[K]>;
export type WhoamiOut = Out<'whoami'>;
export type RoleName = 'viewer' | 'member' | 'owner';
