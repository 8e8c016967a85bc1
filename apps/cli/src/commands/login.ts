import os from 'node:os';
import { ApiError, GureumClient } from '@gureum/contract';
import type { Command } from 'commander';
import { examples, withOutput } from '../command-kit.js';
import { contextNameFor } from '../config.js';
import { UsageError } from '../errors.js';
import { printItem, renderFields, type OutputOptions } from '../output.js';
import { prompt, readPasswords } from '../prompt.js';
import type { Session } from '../session.js';

interface LoginOptions {
  user?: string;
  passwordStdin?: boolean;
  token?: string;
  name?: string;
  use?: boolean;
}

/** `gureum login`, `logout` and `whoami`. */
export function registerLogin(program: Command, session: Session): void {
  const login = program
    .command('login')
    .summary('log in to a Gureum server and remember it as a context')
    .description(
      'Log in to a Gureum server. With a password, the CLI creates an API token named cli@HOST for itself ' +
        'and forgets the password; with --token it keeps the token you give. The credentials are stored in ' +
        '$GUREUM_CONFIG/config.json (default ~/.config/gureum), mode 0600, as a context. The first context becomes the current one; a later login to another context leaves the ' +
        'current one as it is (a script logging in elsewhere must not redirect your next command) unless you add --use.',
    )
    .argument('[url]', 'server URL (default: GUREUM_URL, the current context, or http://localhost:7070)')
    .option('-u, --user <name>', 'user name (asked when not given)')
    .option('--password-stdin', 'read the password from standard input')
    .option('--token <token>', 'log in with an existing API token instead of a password')
    .option('--name <context>', 'name of the context (default: host:port of the URL)')
    .option('--use', 'make this context the current one even when another one is')
    .action(async (urlArg: string | undefined, opts: LoginOptions) => {
      const url = normalizeUrl(urlArg ?? session.env.GUREUM_URL ?? safeCurrentUrl(session) ?? 'http://localhost:7070');
      const { token, tokenId, user } = opts.token !== undefined ? await checkToken(url, opts.token) : await passwordLogin(url, opts);
      const config = session.loadConfig();
      const name = opts.name ?? contextNameFor(url);
      const previous = config.contexts[name];
      // A new login replaces the token this CLI made before for the same context.
      if (previous?.tokenId && previous.url === url && previous.tokenId !== tokenId) {
        await new GureumClient({ baseUrl: url, token }).call('deleteToken', { params: { id: previous.tokenId } }).catch(() => undefined);
      }
      config.contexts[name] = { url, token, user, ...(tokenId !== undefined && { tokenId }), ...(previous?.project !== undefined && { project: previous.project }) };
      const keeps = config.current !== undefined && config.current !== name && config.contexts[config.current] !== undefined && opts.use !== true;
      if (!keeps) config.current = name;
      session.saveConfig(config);
      process.stderr.write(`Logged in to ${url} as ${user} (context ${name}).\n`);
      if (keeps) process.stderr.write(`The current context is still ${config.current}; switch with: gureum context use ${name}\n`);
    });
  examples(login, ['gureum login http://gureum.lab:7070', 'gureum login -u alice http://gureum.lab:7070', 'echo "$PASSWORD" | gureum login -u alice --password-stdin http://gureum.lab:7070', 'gureum login --token "$TOKEN" --name lab http://gureum.lab:7070', 'gureum login --use -u alice http://other.lab:7070']);

  const logout = program
    .command('logout')
    .summary('revoke the token of a context and forget it')
    .argument('[context]', 'context name (default: the current one)')
    .action(async (name: string | undefined) => {
      const config = session.loadConfig();
      const chosen = name ?? session.currentContext(config)?.name;
      const context = chosen !== undefined ? config.contexts[chosen] : undefined;
      if (chosen === undefined || !context) throw new UsageError(name ? `no context named ${name}` : 'not logged in');
      if (context.tokenId) {
        await new GureumClient({ baseUrl: context.url, token: context.token }).call('deleteToken', { params: { id: context.tokenId } }).catch((err: unknown) => {
          // A token already revoked or expired is as good as revoked.
          if (!(err instanceof ApiError && (err.status === 401 || err.status === 404))) throw err;
        });
      }
      delete config.contexts[chosen];
      if (config.current === chosen) delete config.current;
      session.saveConfig(config);
      process.stderr.write(`Logged out of ${context.url} (context ${chosen} removed).\n`);
    });
  examples(logout, ['gureum logout', 'gureum logout lab']);

  const whoami = withOutput(program.command('whoami').summary('show who you are on the server, and your projects')).action(async (opts: OutputOptions) => {
    const target = session.target();
    const me = await session.client().call('whoami', {});
    const human = () =>
      renderFields([
        ['user', `${me.user.name}${me.user.admin ? ' (admin)' : ''}`],
        ['server', `${target.url}${target.context ? ` (context ${target.context})` : ''}`],
        ['via', `${me.via}${me.token ? ` ${me.token.name}${me.token.readOnly ? ' (read-only)' : ''}` : ''}`],
        ['projects', me.memberships.map((m) => `${m.project} (${m.role})`).join(', ') || '-'],
      ]);
    printItem(me, opts, human, (m) => m.user.name);
  });
  examples(whoami, ['gureum whoami', 'gureum whoami -o json']);
}

function normalizeUrl(text: string): string {
  const withScheme = /^https?:\/\//.test(text) ? text : `http://${text}`;
  try {
    const url = new URL(withScheme);
    return url.origin;
  } catch {
    throw new UsageError(`${text} is not a URL`);
  }
}

function safeCurrentUrl(session: Session): string | undefined {
  try {
    return session.currentContext()?.context.url;
  } catch {
    return undefined;
  }
}

async function checkToken(url: string, token: string): Promise<{ token: string; tokenId?: string; user: string }> {
  const me = await new GureumClient({ baseUrl: url, token }).call('whoami', {});
  return { token, user: me.user.name };
}

/** Password login gives a session; the CLI trades it for an API token of its own at once. */
async function passwordLogin(url: string, opts: LoginOptions): Promise<{ token: string; tokenId: string; user: string }> {
  const user = opts.user ?? (await prompt('User: '));
  const [password] = await readPasswords(opts.passwordStdin === true, ['Password: ']);
  if (!user || !password) throw new UsageError('a user name and a password are needed');
  const response = await new GureumClient({ baseUrl: url }).raw('login', { body: { user, password } });
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const withSession = new GureumClient({ baseUrl: url, headers: { cookie, 'x-csrf-token': csrfToken } });
  const created = await withSession.call('createToken', { body: { name: `cli@${os.hostname()}` } });
  await withSession.call('logout', {}).catch(() => undefined);
  return { token: created.token, tokenId: created.id, user };
}
