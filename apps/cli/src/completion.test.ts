import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import type { Command } from 'commander';
import { bashCompletion, zshCompletion } from './completion.js';
import { buildProgram } from './program.js';
import { Session } from './session.js';

const program = buildProgram(new Session({}, () => undefined));

/**
 * A stand-in for the server's names (the real ones are tested against a real Gureum in
 * apps/cli/test/cli.test.ts): `gureum __complete KIND [-p P]` answers `KIND@P`.
 */
const FAKE_NAMES = `gureum() { [[ $1 == __complete ]] && echo "$2@\${4:-none}"; }`;

/** What bash offers after the words typed so far (the last one being completed). */
function complete(...words: string[]): string[] {
  const script = `${bashCompletion(program)}
${FAKE_NAMES}
COMP_WORDS=(gureum ${words.map((w) => `'${w}'`).join(' ')})
COMP_CWORD=${words.length}
_gureum
printf '%s\\n' "\${COMPREPLY[@]}"`;
  return execFileSync('bash', ['-c', script], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

function everyCommand(cmd: Command): Command[] {
  return [cmd, ...cmd.commands.filter((c) => c.name() !== 'help').flatMap(everyCommand)];
}

describe('shell completion and help', () => {
  it('completes subcommands and options in bash', () => {
    assert.deepEqual(complete('pro'), ['projects']);
    assert.ok(complete('').includes('exec'));
    assert.deepEqual(complete('projects', 'c'), ['create']);
    assert.deepEqual(complete('project', 'u'), ['use'], 'aliases lead to the same completions');
    assert.ok(complete('logs', '--t').includes('--tail'));
    assert.ok(complete('--context', 'x', 'images', '').includes('pull'), 'options before the command are skipped');
  });

  it('offers project, app and instance names where an argument takes one (fake name source)', () => {
    assert.deepEqual(complete('logs', ''), ['instances@none']);
    assert.deepEqual(complete('logs', '-p', 'lab', ''), ['instances@lab'], 'the project typed so far is passed on');
    assert.deepEqual(complete('logs', '-p', ''), ['projects@none']);
    assert.deepEqual(complete('run', ''), ['apps@none']);
    assert.deepEqual(complete('apps', 'show', ''), ['apps@none']);
    assert.deepEqual(complete('projects', 'use', ''), ['projects@none']);
    assert.ok(!complete('projects', 'create', '').some((w) => w.includes('@')), 'a new name is not one that exists');
    assert.ok(!complete('logs', '--t').some((w) => w.includes('@')), 'options are not names');
    assert.ok(!complete('').includes('__complete'), 'the hidden command is not offered');
  });

  it('writes a zsh script that zsh can parse', () => {
    const script = zshCompletion(program);
    assert.match(script, /^#compdef gureum/);
    assert.match(script, /'exec:run a command \(default\\: a shell\) in a replica, with a terminal'/);
    try {
      execFileSync('zsh', ['-n', '-c', script]);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err; // zsh not installed: bash covers the logic
    }
  });

  it('gives every command a help text with examples', () => {
    for (const cmd of everyCommand(program)) {
      let help = '';
      cmd.configureOutput({ writeOut: (s) => (help += s) });
      cmd.outputHelp();
      assert.match(help, /\nExamples:\n {2}(gureum|source|\w+=|printf|cat|docker|echo)/, `gureum ${cmd.name()} --help has examples`);
    }
  });
});
