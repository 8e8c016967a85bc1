import { useState } from 'react';
import type { App } from '@gureum/contract';
import { useApi } from '../api/hooks.js';
import { Link } from '../app/router.js';
import { can, useSession } from '../app/session.js';
import { ErrorBanner } from '../ui/error-banner.js';
import { TextField } from '../ui/field.js';
import { PageHeader } from '../ui/page-header.js';
import { Empty, Loading } from '../ui/status.js';
import { matchesSearch } from './catalog-form.js';

function AppCard({ app, launchIn }: { app: App; launchIn: string | null }) {
  return (
    <article className="panel" aria-labelledby={`app-${app.name}`}>
      <h2 id={`app-${app.name}`} style={{ marginTop: 0 }}>
        {app.title || app.name}
      </h2>
      <p className="muted">
        <code>{app.name}</code> · v{app.version} · {app.project ? `project ${app.project}` : 'global'}
      </p>
      {app.description && <p>{app.description}</p>}
      <p className="muted">
        {app.components.map((c) => c.image).join(', ')}
        {app.parameters.length > 0 && ` · ${app.parameters.length} parameter${app.parameters.length > 1 ? 's' : ''}`}
      </p>
      <div className="form-row">
        {launchIn && (
          <Link className="btn btn-primary" to={`/projects/${encodeURIComponent(launchIn)}/launch/${encodeURIComponent(app.name)}`} aria-label={`Launch ${app.name}`}>
            Launch
          </Link>
        )}
        <Link className="btn" to={`/catalog/${encodeURIComponent(app.name)}`} aria-label={`Edit ${app.name}`}>
          Edit
        </Link>
      </div>
    </article>
  );
}

/** Browse and search the apps this user can launch. */
export default function CatalogPage() {
  const { whoami, project } = useSession();
  const [search, setSearch] = useState('');
  const apps = useApi((c) => c.call('listApps', {}), [], { liveOn: (e) => e.type.startsWith('app.') });
  const shown = apps.data?.filter((a) => matchesSearch(a, search)) ?? [];
  const launchIn = project && can(whoami, project, 'member') ? project : null;
  return (
    <>
      <PageHeader
        title="Catalog"
        subtitle={launchIn ? `Apps you can launch in ${launchIn}` : 'Apps registered in Gureum'}
        actions={
          <>
            <Link className="btn" to="/images">
              Import an image
            </Link>
            <Link className="btn btn-primary" to="/catalog/new">
              Register an app
            </Link>
          </>
        }
      />
      <TextField label="Search the catalog" type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="name, title or image" />
      <ErrorBanner error={apps.error} onRetry={apps.reload} />
      {apps.data === undefined ? (
        apps.error === undefined && <Loading what="Loading the catalog" />
      ) : shown.length === 0 ? (
        <Empty>{apps.data.length === 0 ? 'The catalog is empty. Register an app to start.' : 'No app matches that search.'}</Empty>
      ) : (
        <div className="cards">
          {shown.map((a) => (
            <AppCard key={`${a.project ?? ''}/${a.name}`} app={a} launchIn={launchIn} />
          ))}
        </div>
      )}
    </>
  );
}
