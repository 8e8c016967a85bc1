import fs from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { routes, type Image, type ImageProgress } from '@gureum/contract';
import type { Command } from 'commander';
import { eachName, examples, listCommand, resourceGroup, withOutput } from '../command-kit.js';
import { UsageError } from '../errors.js';
import { formatAge, formatBytes, printItem, printList, type Column, type OutputOptions } from '../output.js';
import { ProgressView, progressError } from '../progress.js';
import type { Session } from '../session.js';

const shortId = (id: string) => id.replace(/^sha256:/, '').slice(0, 12);

const tagList = (i: Image) => (i.tags.length > 3 ? `${i.tags.slice(0, 3).join(',')} +${i.tags.length - 3} more` : i.tags.join(',') || '<none>');

const columns: Column<Image>[] = [
  { header: 'ID', value: (i) => shortId(i.id) },
  { header: 'TAGS', value: tagList },
  { header: 'SIZE', value: (i) => formatBytes(i.sizeBytes) },
  { header: 'AGE', value: (i) => formatAge(i.createdAt) },
  { header: 'USED BY', value: (i) => [...new Set((i.usedBy ?? []).map((u) => `${u.project}/${u.instance}`))].join(',') || '-' },
];

const describeImage = (verb: string) => (i: Image) => `${verb} ${shortId(i.id)} (${formatBytes(i.sizeBytes)}): ${tagList(i)}\n`;

/** `gureum images ls|pull|load|rm`. */
export function registerImages(program: Command, session: Session): void {
  const images = resourceGroup(program, 'images', 'image', 'images on the engine: list, pull, load from a tarball, remove', ['gureum images', 'gureum images pull registry.lab:5000/tools/busybox:1', 'gureum images load busybox.tar']);

  const ls = listCommand(images, 'list images on the engine').action(async (opts: OutputOptions) => {
    printList(await session.client().call('listImages', {}), columns, opts, (i) => i.id);
  });
  examples(ls, ['gureum images ls', 'gureum images ls -q']);

  const pull = withOutput(images.command('pull').summary('pull an image from a registry, with progress (admins only)').argument('<ref>', 'image reference, e.g. registry.lab:5000/busybox:1')).action(
    async (ref: string, opts: OutputOptions) => {
      const signal = session.interruptSignal();
      const image = await followProgress(session.client().streamLines('pullImage', { body: { ref } }, { signal }), new ProgressView());
      if (image) printItem(image, opts, describeImage('pulled'), (i) => i.id);
    },
  );
  examples(pull, ['gureum images pull registry.lab:5000/tools/busybox:1', 'gureum images pull -q registry.lab:5000/python:3.12']);

  const load = withOutput(
    images
      .command('load')
      .summary('upload a `docker save` tarball to the engine, with progress (admins only)')
      .argument('[file]', 'the tarball (default: standard input)')
      .option('-i, --input <file>', 'the tarball (as with docker load -i)'),
  ).action(async (fileArg: string | undefined, opts: OutputOptions & { input?: string }) => {
    const file = fileArg ?? opts.input;
    if (file === undefined && process.stdin.isTTY) throw new UsageError('give the tarball as a file, or pipe it in');
    const view = new ProgressView();
    let total: number | undefined;
    if (file !== undefined) {
      try {
        total = fs.statSync(file).size;
      } catch (err) {
        throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
      }
    }
    const source = file !== undefined ? fs.createReadStream(file) : process.stdin;
    let sent = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        sent += chunk.length;
        view.update({ id: 'upload', status: 'Uploading', current: sent, ...(total !== undefined && { total }) });
        done(null, chunk);
      },
    });
    const body = Readable.toWeb(source.pipe(counter)) as ReadableStream<Uint8Array>;
    const signal = session.interruptSignal();
    const lines = session.client().streamLines('loadImage', {}, { body, duplex: 'half', signal, headers: { 'content-type': routes.loadImage.upload } } as RequestInit);
    const image = await followProgress(lines, view);
    if (image) printItem(image, opts, describeImage('loaded'), (i) => i.id);
  });
  examples(load, ['gureum images load busybox.tar', 'docker save busybox:1 | gureum images load', 'gureum images load -i busybox.tar -q']);

  const rm = images
    .command('rm')
    .summary('remove images from the engine (admin)')
    .argument('<image...>', 'image ids or tags')
    .option('-f, --force', 'remove even when tagged several times')
    .action(async (ids: string[], opts: { force?: boolean }) => {
      const client = session.client();
      await eachName(ids, (id) => client.call('deleteImage', { params: { id }, query: opts.force ? { force: 'true' } : {} }));
    });
  examples(rm, ['gureum images rm busybox:1', 'gureum images rm -f 3f57d9401f8d']);
}

/** Shows the NDJSON progress of a pull or load; answers the image of its last line. */
async function followProgress(lines: AsyncIterable<string>, view: ProgressView): Promise<Image | undefined> {
  let image: Image | undefined;
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const p = JSON.parse(line) as ImageProgress;
    const failure = progressError(p);
    if (failure) throw failure;
    if (p.image) image = p.image;
    else view.update(p);
  }
  view.finish();
  return image;
}
