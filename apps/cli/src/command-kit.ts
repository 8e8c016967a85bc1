import fs from 'node:fs';
import { Option, type Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { UsageError } from './errors.js';
import { FORMATS } from './output.js';

/** Adds an "Examples:" section to a command's --help (every command has one). */
export function examples(cmd: Command, lines: string[]): Command {
  return cmd.addHelpText('after', '\nExamples:\n' + lines.map((l) => `  ${l}`).join('\n'));
}

/** -o table|json|yaml and -q, for commands that print objects. */
export function withOutput(cmd: Command): Command {
  return cmd
    .addOption(new Option('-o, --output <format>', 'output format').choices(FORMATS).default('table'))
    .option('-q, --quiet', 'print only names or ids, one a line');
}

/** -p PROJECT, for commands inside a project. */
export function withProject(cmd: Command): Command {
  return cmd.option('-p, --project <project>', 'project (default: GUREUM_PROJECT, else the context’s project)');
}

/** Collects a repeatable option into a list. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** KEY=VALUE pairs (--param, --env) into an object; the value may contain "=". */
export function parsePairs(pairs: string[], what: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`${what} ${JSON.stringify(pair)} must be KEY=VALUE`);
    result[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return result;
}

/** A non-negative integer argument. */
export function parseCount(text: string, what: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${what} must be a whole number, not ${JSON.stringify(text)}`);
  return Number(text);
}

/** Seconds in each unit of a duration such as 30s, 10m, 2h or 7d. */
export const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86400 } as const;

/** A duration in seconds: a whole number, or one with a unit (90s, 5m, 1h, 1d). */
export function parseSeconds(text: string, what: string): number {
  const m = /^(\d+)(s|m|h|d)?$/.exec(text.trim());
  if (!m) throw new UsageError(`${what} must be seconds or a duration such as 90s, 5m or 1h, not ${JSON.stringify(text)}`);
  return Number(m[1]) * UNIT_SECONDS[(m[2] ?? 's') as keyof typeof UNIT_SECONDS];
}

/** A number argument (a threshold, CPU cores). */
export function parseNumber(text: string, what: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new UsageError(`${what} must be a number, not ${JSON.stringify(text)}`);
  return value;
}

/** INSTANCE/COMPONENT, the address of one component. */
export function parseComponent(text: string): { instance: string; component: string } {
  const [instance, component, ...rest] = text.split('/');
  if (!instance || !component || rest.length > 0) throw new UsageError(`${text} is not INSTANCE/COMPONENT`);
  return { instance, component };
}

/** Reads a YAML or JSON document from a file, or from stdin for "-". */
export function readDocument(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
  }
  try {
    return parseYaml(text) as unknown;
  } catch (err) {
    throw new UsageError(`${file} is neither YAML nor JSON: ${(err as Error).message.split('\n')[0]}`);
  }
}

/** Reads all of stdin as text (for --password-stdin and secret values). */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A group whose `show [PROJECT]` runs when no subcommand is given (`gureum quota`, `gureum
 * quota lab`), beside admin subcommands such as `set`.
 */
export function projectShowGroup(program: Command, name: string, summary: string, usage: string[]): { group: Command; show: Command } {
  const group = examples(program.command(name).summary(summary), usage);
  const show = withOutput(group.command('show', { isDefault: true }).summary(summary).argument('[project]', 'project (default: -p, GUREUM_PROJECT, else the context’s project)'));
  return { group, show: withProject(show) };
}

/** A resource's command group (`gureum volumes`), whose `ls` runs when no subcommand is given. */
export function resourceGroup(program: Command, name: string, alias: string, summary: string, usage: string[]): Command {
  return examples(program.command(name).alias(alias).summary(summary), usage);
}

/** The `ls` of a group: the default subcommand, with -o and -q. */
export function listCommand(group: Command, summary: string): Command {
  return withOutput(group.command('ls', { isDefault: true }).summary(summary));
}

/** Acts on each named object in turn, printing each name once done: after an error, what came before it is done. */
export async function eachName(names: string[], act: (name: string) => Promise<unknown>): Promise<void> {
  for (const name of names) {
    await act(name);
    process.stdout.write(`${name}\n`);
  }
}
