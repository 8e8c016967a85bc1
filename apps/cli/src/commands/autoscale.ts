import type { Autoscale, AutoscalePut } from '@gureum/contract';
import type { Command } from 'commander';
import { eachName, examples, parseComponent, parseCount, parseNumber, parseSeconds, withOutput, withProject } from '../command-kit.js';
import { UsageError } from '../errors.js';
import { printItem, renderFields, type OutputOptions } from '../output.js';
import type { Session } from '../session.js';

type Opts = OutputOptions & { project?: string };

interface SetOptions extends Opts {
  min: string;
  max: string;
  cpuPercent?: string;
  memory?: string;
  upWindow?: string;
  downWindow?: string;
}

const percent = (p: number | null) => (p === null ? '-' : `${p.toFixed(1)}%`);

/** "60% CPU and 70% memory": what a policy aims at. */
const targetsOf = (a: Autoscale) =>
  [a.targetCpuPercent === null ? null : `${a.targetCpuPercent}% CPU`, a.targetMemoryPercent === null ? null : `${a.targetMemoryPercent}% memory`].filter((t) => t !== null).join(' and ');

/** The policy `autoscale set` sends (windows left out take the API's defaults); a target is required. */
export function autoscaleBodyOf(opts: SetOptions): Pick<AutoscalePut, 'min' | 'max'> & Partial<AutoscalePut> {
  if (opts.cpuPercent === undefined && opts.memory === undefined) throw new UsageError('give --cpu-percent, --memory or both');
  return {
    min: parseCount(opts.min, '--min'),
    max: parseCount(opts.max, '--max'),
    ...(opts.cpuPercent !== undefined && { targetCpuPercent: parseNumber(opts.cpuPercent, '--cpu-percent') }),
    ...(opts.memory !== undefined && { targetMemoryPercent: parseNumber(opts.memory, '--memory') }),
    ...(opts.upWindow !== undefined && { scaleUpStabilizationSeconds: parseSeconds(opts.upWindow, '--up-window') }),
    ...(opts.downWindow !== undefined && { scaleDownStabilizationSeconds: parseSeconds(opts.downWindow, '--down-window') }),
  };
}

export function describeAutoscale(a: Autoscale): string {
  return renderFields([
    ['component', `${a.instance}/${a.component}`],
    ['replicas', `${a.currentReplicas} (between ${a.min} and ${a.max})`],
    ['target cpu', a.targetCpuPercent === null ? '-' : `${a.targetCpuPercent}% of the CPU limit`],
    ['last cpu', percent(a.lastCpuPercent)],
    ['target memory', a.targetMemoryPercent === null ? '-' : `${a.targetMemoryPercent}% of the memory limit`],
    ['last memory', percent(a.lastMemoryPercent)],
    ['windows', `up after ${a.scaleUpStabilizationSeconds}s, down after ${a.scaleDownStabilizationSeconds}s`],
    ['last decision', a.lastDecision === null ? '-' : `${a.lastDecision} (${a.lastDecisionAt ?? '-'})`],
  ]);
}

/** `gureum autoscale [show|set|rm] INSTANCE/COMPONENT`: replicas between min and max on average CPU and/or memory. */
export function registerAutoscale(program: Command, session: Session): void {
  const autoscale = examples(program.command('autoscale').summary('scale a component between min and max replicas on its average CPU and/or memory'), [
    'gureum autoscale web/main',
    'gureum autoscale set web/main --min 1 --max 5 --cpu-percent 60',
    'gureum autoscale set web/main --min 1 --max 5 --memory 70',
    'gureum autoscale rm web/main',
  ]);
  const paramsOf = (target: string, project: string | undefined) => ({ project: session.project(project), ...parseComponent(target) });

  const show = withOutput(withProject(autoscale.command('show', { isDefault: true }).summary('show the autoscaling of a component and its last decision').argument('<instance/component>'))).action(
    async (target: string, opts: Opts) => {
      printItem(await session.client().call('getAutoscale', { params: paramsOf(target, opts.project) }), opts, describeAutoscale, (a) => `${a.instance}/${a.component}`);
    },
  );
  examples(show, ['gureum autoscale show web/main', 'gureum autoscale web/main -o json']);

  const set = withOutput(
    withProject(
      autoscale
        .command('set')
        .summary('autoscale a component on CPU, memory or both (each needs the component’s limit)')
        .argument('<instance/component>')
        .requiredOption('--min <n>', 'fewest replicas')
        .requiredOption('--max <n>', 'most replicas')
        .option('--cpu-percent <percent>', 'target average CPU use, in % of the CPU limit')
        .option('--memory <percent>', 'target average memory working set, in % of the memory limit')
        .option('--up-window <duration>', 'use must stay high this long before scaling up (default 0)')
        .option('--down-window <duration>', 'use must stay low this long before scaling down (default 5m)'),
    ),
  ).action(async (target: string, opts: SetOptions) => {
    const body = autoscaleBodyOf(opts);
    const policy = await session.client().call('putAutoscale', { params: paramsOf(target, opts.project), body });
    printItem(policy, opts, (a) => `${a.instance}/${a.component} autoscales between ${a.min} and ${a.max} replicas at ${targetsOf(a)}\n`, (a) => `${a.instance}/${a.component}`);
  });
  examples(set, [
    'gureum autoscale set web/main --min 1 --max 5 --cpu-percent 60',
    'gureum autoscale set web/main --min 1 --max 5 --memory 70',
    'gureum autoscale set web/main --min 2 --max 10 --cpu-percent 50 --memory 80 --down-window 10m',
  ]);

  const rm = withProject(autoscale.command('rm').summary('stop autoscaling components (their replica count stays)').argument('<instance/component...>')).action(async (targets: string[], opts: { project?: string }) => {
    const client = session.client();
    await eachName(targets, (target) => client.call('deleteAutoscale', { params: paramsOf(target, opts.project) }));
  });
  examples(rm, ['gureum autoscale rm web/main']);
}
