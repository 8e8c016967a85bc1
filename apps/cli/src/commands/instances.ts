import type { Instance } from '@gureum/contract';
import type { Command } from 'commander';
import { examples, withOutput, withProject } from '../command-kit.js';
import { timeoutMs, waitForInstance } from '../instance-wait.js';
import { printItem, printList, type OutputOptions } from '../output.js';
import type { Session } from '../session.js';
import { describeInstance, instanceColumns } from './instance-view.js';
import { parseReplicas } from './run.js';

interface WaitOptions extends OutputOptions {
  project?: string;
  wait?: boolean;
  timeout: string;
}

const withWait = (cmd: Command, what: string) => cmd.option('-w, --wait', `wait until ${what}`).option('--timeout <seconds>', 'how long --wait waits', '120');

/** ps, inspect, scale, upgrade, start, stop, restart, rm: the life of instances. */
export function registerInstances(program: Command, session: Session): void {
  const ps = withOutput(withProject(program.command('ps').summary('list instances of a project').option('-A, --all-projects', 'list the instances of every project you can see'))).action(
    async (opts: OutputOptions & { project?: string; allProjects?: boolean }) => {
      const client = session.client();
      const projects = opts.allProjects ? (await client.call('listProjects', {})).map((p) => p.name) : [session.project(opts.project)];
      const lists = await Promise.all(projects.map((project) => client.call('listInstances', { params: { project } })));
      printList(lists.flat(), instanceColumns(opts.allProjects === true), opts, (i) => (opts.allProjects ? `${i.project}/${i.name}` : i.name));
    },
  );
  examples(ps, ['gureum ps', 'gureum ps -p lab -o json', 'gureum ps -A', 'gureum ps -q | xargs gureum stop']);

  const inspect = withOutput(withProject(program.command('inspect').summary('show desired and observed state of an instance, replica by replica').argument('<instance>'))).action(
    async (name: string, opts: OutputOptions & { project?: string }) => {
      const instance = await session.client().call('getInstance', { params: { project: session.project(opts.project), instance: name } });
      printItem(instance, opts, describeInstance, (i) => i.name);
    },
  );
  examples(inspect, ['gureum inspect hello', 'gureum inspect hello -o json | jq .replicas']);

  const scale = withOutput(
    withProject(withWait(program.command('scale').summary('change the number of replicas').argument('<instance>').argument('<replicas...>', 'a number, or component=number for each component'), 'every replica runs')),
  ).action(async (name: string, counts: string[], opts: WaitOptions) => {
    const project = session.project(opts.project);
    const client = session.client();
    let instance = await client.call('updateInstance', { params: { project, instance: name }, body: { replicas: parseReplicas(counts, 'replicas')! } });
    if (opts.wait) instance = (await waitForInstance(client, project, name, { timeoutMs: timeoutMs(opts.timeout), signal: session.interruptSignal() })) ?? instance;
    printItem(instance, opts, (i) => `instance ${i.name} scaled to ${i.components.map((c) => `${c.name}=${c.desiredReplicas}`).join(' ')}\n`, (i) => i.name);
  });
  examples(scale, ['gureum scale hello 3', 'gureum scale hadoop worker=8 --wait']);

  const upgrade = withOutput(
    withProject(
      withWait(
        program
          .command('upgrade')
          .summary('roll instances onto the images their tags name now')
          .description('Replicas keep the image they were launched (or last upgraded) with, whatever its tag names since: upgrading pins each component to what the tag names now and replaces the replicas one by one.')
          .argument('<instance...>'),
        'every replica runs',
      ),
    ),
  ).action(async (names: string[], opts: WaitOptions) => {
    const project = session.project(opts.project);
    const client = session.client();
    const upgraded: Instance[] = [];
    for (const name of names) {
      let instance = await client.call('updateInstance', { params: { project, instance: name }, body: { refreshImages: true } });
      // The upgrade is a new generation: settled once a status of it says every replica runs (pinned before that status is written).
      if (opts.wait) instance = (await waitForInstance(client, project, name, { timeoutMs: timeoutMs(opts.timeout), signal: session.interruptSignal() })) ?? instance;
      upgraded.push(instance);
    }
    printList(upgraded, instanceColumns(false), { ...opts, quiet: opts.quiet ?? opts.output === 'table' }, (i) => i.name);
  });
  examples(upgrade, ['gureum upgrade hello --wait', 'gureum upgrade -p lab web worker']);

  const lifecycle = (verb: 'start' | 'stop' | 'restart', summary: string, routeId: 'startInstance' | 'stopInstance' | 'restartInstance') => {
    const cmd = withOutput(withProject(withWait(program.command(verb).summary(summary).argument('<instance...>'), verb === 'stop' ? 'it has stopped' : 'every replica runs'))).action(
      async (names: string[], opts: WaitOptions) => {
        const project = session.project(opts.project);
        const client = session.client();
        const done: Instance[] = [];
        for (const name of names) {
          let instance = await client.call(routeId, { params: { project, instance: name } });
          if (opts.wait) instance = (await waitForInstance(client, project, name, { timeoutMs: timeoutMs(opts.timeout), signal: session.interruptSignal() })) ?? instance;
          done.push(instance);
        }
        printList(done, instanceColumns(false), { ...opts, quiet: opts.quiet ?? opts.output === 'table' }, (i) => i.name);
      },
    );
    examples(cmd, [`gureum ${verb} hello`, `gureum ${verb} hello web --wait`]);
  };
  lifecycle('start', 'start stopped instances', 'startInstance');
  lifecycle('stop', 'stop every replica of instances (they keep their definition)', 'stopInstance');
  lifecycle('restart', 'restart every replica of instances', 'restartInstance');

  const rm = withProject(withWait(program.command('rm').summary('delete instances and their containers (volumes stay)').argument('<instance...>'), 'the containers are gone')).action(
    async (names: string[], opts: Omit<WaitOptions, 'output'>) => {
      const project = session.project(opts.project);
      const client = session.client();
      for (const name of names) await client.call('deleteInstance', { params: { project, instance: name } });
      if (opts.wait) for (const name of names) await waitForInstance(client, project, name, { timeoutMs: timeoutMs(opts.timeout), signal: session.interruptSignal(), gone: true });
      process.stdout.write(names.map((n) => `${n}\n`).join(''));
    },
  );
  examples(rm, ['gureum rm hello', 'gureum rm hello hello2 --wait']);
}
