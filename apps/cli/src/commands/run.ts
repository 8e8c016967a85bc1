import type { App } from '@gureum/contract';
import type { Command } from 'commander';
import { collect, examples, parseCount, parsePairs, withOutput, withProject } from '../command-kit.js';
import { timeoutMs, waitForInstance } from '../instance-wait.js';
import { UsageError } from '../errors.js';
import { printItem, type OutputOptions } from '../output.js';
import type { Session } from '../session.js';
import { describeInstance } from './instance-view.js';

interface RunOptions extends OutputOptions {
  project?: string;
  name?: string;
  param: string[];
  env: string[];
  replicas: string[];
  wait?: boolean;
  timeout: string;
}

/** `gureum run APP`: launch an app as an instance. */
export function registerRun(program: Command, session: Session): void {
  const run = withOutput(
    withProject(
      program
        .command('run')
        .summary('launch an app as an instance')
        .argument('<app>', 'the app to launch (see gureum apps)')
        .option('--name <name>', 'instance name (default: the app name)')
        .option('--param <key=value>', 'a parameter value (repeatable); typed as the app declares it', collect, [])
        .option('-e, --env <key=value>', 'extra environment for every component (repeatable)', collect, [])
        .option('-r, --replicas <n|component=n>', 'replicas: a number, or per component (repeatable)', collect, [])
        .option('-w, --wait', 'wait until every replica runs (exit 1 if the instance fails or a replica crash-loops)')
        .option('--timeout <seconds>', 'how long --wait waits', '120'),
    ),
  ).action(async (appName: string, opts: RunOptions) => {
    const project = session.project(opts.project);
    const client = session.client();
    const app = await client.call('getApp', { params: { app: appName } });
    const name = opts.name ?? appName;
    const replicas = parseReplicas(opts.replicas, '--replicas');
    const env = parsePairs(opts.env, '--env');
    let instance = await client.call('createInstance', {
      params: { project },
      body: { name, app: appName, parameters: typedParameters(app, parsePairs(opts.param, '--param')), ...(replicas !== undefined && { replicas }), ...(opts.env.length > 0 && { env }) },
    });
    if (opts.wait) instance = (await waitForInstance(client, project, name, { timeoutMs: timeoutMs(opts.timeout), signal: session.interruptSignal(), failOnCrashLoop: true })) ?? instance;
    printItem(instance, opts, opts.wait ? describeInstance : (i) => `instance ${i.name} launched in ${i.project} (${i.phase})\n`, (i) => i.name);
  });
  examples(run, [
    'gureum run hello',
    'gureum run hello --name hello2 --param greeting=안녕 --replicas 3 --wait',
    'gureum run hadoop -p lab --param workers=4 -r master=1',
    'NAME=$(gureum run hello -q)',
  ]);
}

/** `3`, or `web=2 worker=4`. */
export function parseReplicas(values: string[], what: string): number | Record<string, number> | undefined {
  if (values.length === 0) return undefined;
  if (values.length === 1 && /^\d+$/.test(values[0]!)) return parseCount(values[0]!, what);
  const result: Record<string, number> = {};
  for (const value of values) if (!value.includes('=')) throw new UsageError(`${what} must be a number, or component=number for each component, not ${JSON.stringify(value)}`);
  for (const [component, count] of Object.entries(parsePairs(values, what))) result[component] = parseCount(count, `${what} of ${component}`);
  return result;
}

/**
 * Command-line values are text; the API wants each parameter as the type the app declares.
 * A value that does not fit its type is sent as given, so the server's message names it.
 */
export function typedParameters(app: Pick<App, 'parameters'>, values: Record<string, string>): Record<string, string | number | boolean> {
  const result: Record<string, string | number | boolean> = {};
  for (const [key, text] of Object.entries(values)) {
    const spec = app.parameters.find((p) => p.name === key);
    if (spec?.type === 'integer' && /^-?\d+$/.test(text)) result[key] = Number(text);
    else if (spec?.type === 'boolean' && /^(true|false|yes|no|1|0)$/i.test(text)) result[key] = /^(true|yes|1)$/i.test(text);
    else result[key] = text;
  }
  return result;
}
