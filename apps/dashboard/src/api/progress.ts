import type { ImageProgress } from '@gureum/contract';

/** Progress of a pull or load as a bar shows it: summed over layers, with the latest status line. */
export interface ProgressState {
  layers: Record<string, { current: number; total: number }>;
  status: string;
  done: boolean;
  error?: { code: string; message: string };
  /** The image, from the last line of a successful operation. */
  image?: ImageProgress['image'];
}

export const NO_PROGRESS: ProgressState = { layers: {}, status: 'Starting…', done: false };

/** Folds one NDJSON line into the progress. */
export function foldProgress(state: ProgressState, line: ImageProgress): ProgressState {
  const next: ProgressState = { ...state, status: line.id ? `${line.status} ${line.id}` : line.status };
  if (line.id && line.total !== undefined && line.total > 0) {
    next.layers = { ...state.layers, [line.id]: { current: Math.min(line.current ?? 0, line.total), total: line.total } };
  } else if (line.id && /complete|already exists|loaded/i.test(line.status) && state.layers[line.id]) {
    const layer = state.layers[line.id]!;
    next.layers = { ...state.layers, [line.id]: { current: layer.total, total: layer.total } };
  }
  if (line.error) {
    next.error = line.error;
    next.done = true;
  }
  if (line.image) {
    next.image = line.image;
    next.done = true;
  }
  return next;
}

/** 0..1, or null while the total is unknown. */
export function fraction(state: ProgressState): number | null {
  if (state.done && !state.error) return 1;
  let current = 0;
  let total = 0;
  for (const l of Object.values(state.layers)) {
    current += l.current;
    total += l.total;
  }
  return total > 0 ? current / total : null;
}

/**
 * A fetch for the typed client that reports how much of the request body has been sent
 * (fetch cannot, XMLHttpRequest can), and streams the answer's text as it arrives.
 */
export function uploadFetch(onSent: (loaded: number, total: number) => void): typeof fetch {
  return (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open(init.method ?? 'GET', typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      xhr.withCredentials = true;
      for (const [k, v] of Object.entries((init.headers ?? {}) as Record<string, string>)) xhr.setRequestHeader(k, v);
      xhr.upload.onprogress = (e) => onSent(e.loaded, e.lengthComputable ? e.total : 0);
      let seen = 0;
      let push: ((text: string) => void) | null = null;
      let close: (() => void) | null = null;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          const encoder = new TextEncoder();
          push = (text) => controller.enqueue(encoder.encode(text));
          close = () => controller.close();
        },
      });
      const flush = () => {
        const text = xhr.responseText.slice(seen);
        seen = xhr.responseText.length;
        if (text) push?.(text);
      };
      xhr.onreadystatechange = () => {
        if (xhr.readyState === XMLHttpRequest.HEADERS_RECEIVED) {
          const headers = new Headers();
          for (const line of xhr.getAllResponseHeaders().trim().split(/[\r\n]+/)) {
            const i = line.indexOf(':');
            if (i > 0) headers.append(line.slice(0, i).trim(), line.slice(i + 1).trim());
          }
          resolve(new Response(body, { status: xhr.status, statusText: xhr.statusText, headers }));
        }
      };
      xhr.onprogress = flush;
      xhr.onload = () => {
        flush();
        close?.();
      };
      xhr.onerror = () => reject(new TypeError('the upload failed'));
      init.signal?.addEventListener('abort', () => xhr.abort());
      xhr.send(init.body as XMLHttpRequestBodyInit | null);
    });
}
