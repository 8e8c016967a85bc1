import { z } from 'zod';
import { Name, Timestamp } from './common.schema.js';

export const Role = z.enum(['viewer', 'member', 'owner']);
export type Role = z.infer<typeof Role>;

/** User names follow the same rule as other names. */
export const UserName = Name;
export const Password = z.string().min(8, { message: 'must be at least 8 characters' }).max(200);

export const User = z.object({
  name: UserName,
  admin: z.boolean(),
  disabled: z.boolean(),
  createdAt: Timestamp,
});
export type User = z.infer<typeof User>;

export const UserCreate = z.object({ name: UserName, password: Password, admin: z.boolean().default(false) }).strict();
export const UserPatch = z.object({ disabled: z.boolean().optional(), admin: z.boolean().optional(), password: Password.optional() }).strict();
export const PasswordChange = z.object({ currentPassword: z.string().min(1), newPassword: Password }).strict();

export const Login = z.object({ user: UserName, password: z.string().min(1).max(200) }).strict();
export const LoginResult = z.object({
  user: User,
  csrfToken: z.string().describe('Send as X-CSRF-Token with every cookie-authenticated write'),
  expiresAt: Timestamp,
});

export const Whoami = z.object({
  user: User,
  via: z.enum(['token', 'session']),
  token: z.object({ name: z.string(), readOnly: z.boolean(), projects: z.array(Name).nullable(), expiresAt: Timestamp.nullable() }).nullable(),
  memberships: z.array(z.object({ project: Name, role: Role })),
  canCreateProjects: z.boolean().describe("Whether this credential may create a project (the settings' projectCreation; never a project-limited token)"),
});

export const TokenCreate = z
  .object({
    name: z.string().min(1).max(100),
    expiresAt: Timestamp.optional().describe('ISO time; omit for no expiry'),
    readOnly: z.boolean().default(false),
    projects: z.array(Name).min(1).optional().describe('Limit the token to these projects'),
  })
  .strict();
export const Token = z.object({
  id: z.string(),
  name: z.string(),
  readOnly: z.boolean(),
  projects: z.array(Name).nullable(),
  createdAt: Timestamp,
  expiresAt: Timestamp.nullable(),
  lastUsedAt: Timestamp.nullable(),
});
export type Token = z.infer<typeof Token>;
export const TokenCreated = Token.extend({ token: z.string().describe('Shown once; store it now') });

export const Member = z.object({ user: UserName, role: Role, addedAt: Timestamp });
export type Member = z.infer<typeof Member>;
export const MemberPut = z.object({ role: Role }).strict();
