import { useApi } from '../api/hooks.js';
import type { PageProps } from '../app/page-route.js';
import { ErrorBanner } from '../ui/error-banner.js';
import { PageHeader } from '../ui/page-header.js';
import { Loading } from '../ui/status.js';
import { AppForm } from './catalog-app-form.js';
import { fromApp } from './catalog-form.js';

export default function CatalogEditPage({ params }: PageProps) {
  const name = params.app!;
  const app = useApi((c) => c.call('getApp', { params: { app: name } }), [name]);
  return (
    <>
      <PageHeader title={`Edit ${name}`} subtitle={app.data && `Version ${app.data.version}; saving makes version ${app.data.version + 1}. Running instances keep theirs until changed.`} />
      <ErrorBanner error={app.error} onRetry={app.reload} />
      {app.data ? <AppForm key={app.data.version} initial={fromApp(app.data)} existing={app.data} /> : app.error === undefined && <Loading />}
    </>
  );
}
