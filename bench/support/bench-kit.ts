import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';

/** The bench/ folder. */
export const BENCH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Summary statistics of a sample, in the sample's unit. Percentiles are nearest-rank. */
export interface Stats {
  n: number;
  min: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile of an ascending array (p95 of 10 samples is the largest one). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

export function statsOf(samples: readonly number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length);
  return {
    n: sorted.length,
    min: round(sorted[0] ?? Number.NaN),
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[sorted.length - 1] ?? Number.NaN),
    mean: round(mean),
  };
}

/** Rounds to 0.1 (ms figures: finer digits are noise on this machine). */
export function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** What the figures were measured on. */
export interface MachineInfo {
  nproc: number;
  memoryGiB: number;
  kernel: string;
  docker: string;
  node: string;
  cpuModel: string;
  /** 1-minute load average when the benchmark started: other work on the machine skews figures. */
  loadavg1: number;
}

export async function machineInfo(docker: Docker = new Docker()): Promise<MachineInfo> {
  let nproc = os.availableParallelism();
  try {
    nproc = Number(execFileSync('nproc', { encoding: 'utf8' }).trim()) || nproc;
  } catch {
    // os.availableParallelism() is the same figure on Linux
  }
  const version = await docker.version();
  return {
    nproc,
    memoryGiB: round(os.totalmem() / 1024 ** 3),
    kernel: os.release(),
    docker: version.Version,
    node: process.version,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    loadavg1: round(os.loadavg()[0] ?? 0, 2),
  };
}

/** Fails early with the command to run when the test image is missing (nothing is pulled). */
export async function requireImage(image: string, docker: Docker = new Docker()): Promise<void> {
  try {
    await docker.getImage(image).inspect();
  } catch {
    throw new Error(`image ${image} is not on the engine: run \`bash scripts/build-test-images.sh\` first`);
  }
}

/**
 * Prints the JSON summary (stdout) and the human line, and writes bench/results/<name>.json.
 * The summary carries the date and the machine so a result file stands on its own.
 */
export function report(name: string, summary: Record<string, unknown>, human: string): void {
  const dir = path.join(BENCH_DIR, 'results');
  fs.mkdirSync(dir, { recursive: true });
  const full = { benchmark: name, date: new Date().toISOString(), ...summary, loadavg1AtEnd: round(os.loadavg()[0] ?? 0, 2) };
  fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(full, null, 2) + '\n');
  console.log(JSON.stringify(full, (key, value: unknown) => (key === 'rounds' || key === 'samples' ? undefined : value), 2));
  console.log(`\n${human}`);
}

/** A progress line on stderr (stdout carries only the summary). */
export function say(message: string): void {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** Runs fn with a bound on how long it may take, so a stuck engine cannot hang a benchmark. */
export async function bounded<T>(what: string, ms: number, fn: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      fn(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
