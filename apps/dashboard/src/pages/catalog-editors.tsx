import { Button } from '../ui/button.js';
import { CheckboxField, SelectField, TextArea, TextField } from '../ui/field.js';
import { emptyComponent, emptyParam, keptFields, type ComponentRow, type ParamRow } from './catalog-form.js';

/** The message for a field path, or undefined. */
export type ErrorsAt = (path: string) => string | undefined;

function replace<T>(list: readonly T[], i: number, item: T): T[] {
  return list.map((x, j) => (j === i ? item : x));
}

export function ComponentsEditor({ rows, onChange, errorAt }: { rows: ComponentRow[]; onChange: (rows: ComponentRow[]) => void; errorAt: ErrorsAt }) {
  return (
    <fieldset className="panel">
      <legend>Components</legend>
      {rows.map((c, i) => {
        const at = (f: string) => errorAt(`components.${i}.${f}`);
        const set = (patch: Partial<ComponentRow>) => onChange(replace(rows, i, { ...c, ...patch }));
        return (
          <div key={i} className="panel" aria-label={`Component ${i + 1}`} role="group">
            <div className="form-row">
              <TextField label="Component name" value={c.name} onChange={(e) => set({ name: e.target.value })} error={at('name')} />
              <TextField label="Image" value={c.image} onChange={(e) => set({ image: e.target.value })} error={at('image')} placeholder="registry/repo:tag" />
              <TextField label="Replicas" type="number" min={0} max={100} value={c.replicas} onChange={(e) => set({ replicas: e.target.value })} error={at('replicas')} disabled={typeof c.rest.replicas === 'object'} hint={typeof c.rest.replicas === 'object' ? `from parameter ${c.rest.replicas.param}` : undefined} />
            </div>
            <div className="form-row">
              <TextField label="CPU limit (cores)" inputMode="decimal" value={c.cpus} onChange={(e) => set({ cpus: e.target.value })} error={at('resources.cpus')} placeholder="0.5" />
              <TextField label="Memory limit (MiB)" inputMode="decimal" value={c.memoryMiB} onChange={(e) => set({ memoryMiB: e.target.value })} error={at('resources.memoryBytes')} placeholder="256" />
            </div>
            <div className="form-row">
              <TextArea label="Command" rows={3} value={c.command} onChange={(e) => set({ command: e.target.value })} error={at('command')} hint="One item per line; {{param}} is replaced" />
              <TextArea label="Arguments" rows={3} value={c.args} onChange={(e) => set({ args: e.target.value })} error={at('args')} hint="One item per line" />
              <TextArea label="Environment" rows={3} value={c.env} onChange={(e) => set({ env: e.target.value })} error={at('env')} hint="NAME=value, one per line" />
            </div>
            {c.ports.map((p, j) => {
              const setPort = (patch: Partial<typeof p>) => set({ ports: replace(c.ports, j, { ...p, ...patch }) });
              return (
                <div key={j} className="form-row" role="group" aria-label={`Port ${j + 1}`}>
                  <TextField label="Port name" value={p.name} onChange={(e) => setPort({ name: e.target.value })} error={at(`ports.${j}.name`)} />
                  <TextField label="Container port" inputMode="numeric" value={p.containerPort} onChange={(e) => setPort({ containerPort: e.target.value })} error={at(`ports.${j}.containerPort`)} />
                  <SelectField label="Protocol" value={p.protocol} onChange={(e) => setPort({ protocol: e.target.value as 'tcp' | 'udp' })} options={['tcp', 'udp']} />
                  <TextField label="Fixed host port" inputMode="numeric" value={p.hostPort} onChange={(e) => setPort({ hostPort: e.target.value })} error={at(`ports.${j}.hostPort`)} placeholder="none" hint="A port of the node; one replica only" />
                  <CheckboxField label="Publish on a free host port" checked={p.publish} onChange={(e) => setPort({ publish: e.target.checked })} />
                  <div className="field">
                    <Button small onClick={() => set({ ports: c.ports.filter((_, k) => k !== j) })}>
                      Remove port
                    </Button>
                  </div>
                </div>
              );
            })}
            {keptFields(c.rest).length > 0 && (
              <div className="muted" aria-label={`Kept as they are, component ${i + 1}`}>
                Kept as they are (edit them with <code>gureum apps apply</code>):
                <ul>
                  {keptFields(c.rest).map((k) => (
                    <li key={k}>{k}</li>
                  ))}
                </ul>
              </div>
            )}
            <div className="form-row">
              <Button small onClick={() => set({ ports: [...c.ports, { name: `port${c.ports.length + 1}`, containerPort: '', protocol: 'tcp', publish: false, hostPort: '' }] })}>
                Add a port
              </Button>
              {rows.length > 1 && (
                <Button small variant="danger" onClick={() => onChange(rows.filter((_, k) => k !== i))}>
                  Remove component
                </Button>
              )}
            </div>
          </div>
        );
      })}
      <Button small onClick={() => onChange([...rows, { ...emptyComponent(), name: `part${rows.length + 1}` }])}>
        Add a component
      </Button>
    </fieldset>
  );
}

export function ParamsEditor({ rows, onChange, errorAt }: { rows: ParamRow[]; onChange: (rows: ParamRow[]) => void; errorAt: ErrorsAt }) {
  return (
    <fieldset className="panel">
      <legend>Parameters (asked at launch)</legend>
      {rows.length === 0 && <p className="muted">None. Parameters become fields of the launch form and replace {'{{name}}'} in commands and environment.</p>}
      {rows.map((p, i) => {
        const at = (f: string) => errorAt(`parameters.${i}.${f}`) ?? (f === 'name' ? errorAt(`parameters.${i}`) : undefined);
        const set = (patch: Partial<ParamRow>) => onChange(replace(rows, i, { ...p, ...patch }));
        return (
          <div key={i} className="form-row" role="group" aria-label={`Parameter ${i + 1}`}>
            <TextField label="Parameter name" value={p.name} onChange={(e) => set({ name: e.target.value })} error={at('name')} />
            <SelectField label="Type" value={p.type} onChange={(e) => set({ type: e.target.value as ParamRow['type'] })} options={['string', 'integer', 'boolean', 'enum']} />
            <TextField label="Default" value={p.default} onChange={(e) => set({ default: e.target.value })} error={at('default')} />
            {p.type === 'integer' && (
              <>
                <TextField label="Minimum" inputMode="numeric" value={p.min} onChange={(e) => set({ min: e.target.value })} error={at('min')} />
                <TextField label="Maximum" inputMode="numeric" value={p.max} onChange={(e) => set({ max: e.target.value })} error={at('max')} />
              </>
            )}
            {p.type === 'enum' && <TextField label="Values" value={p.values} onChange={(e) => set({ values: e.target.value })} error={at('values')} hint="Comma-separated" />}
            <CheckboxField label="Required" checked={p.required} onChange={(e) => set({ required: e.target.checked })} />
            <div className="field">
              <Button small onClick={() => onChange(rows.filter((_, k) => k !== i))}>
                Remove
              </Button>
            </div>
          </div>
        );
      })}
      <Button small onClick={() => onChange([...rows, emptyParam()])}>
        Add a parameter
      </Button>
    </fieldset>
  );
}
