import { useSession } from '../app/session.js';
import { PageHeader } from '../ui/page-header.js';
import { AppForm } from './catalog-app-form.js';
import { emptyApp } from './catalog-form.js';

export default function CatalogNewPage() {
  const { whoami, project } = useSession();
  return (
    <>
      <PageHeader title="Register an app" subtitle="Its components (images, ports, resources) and the parameters asked at launch." />
      <AppForm initial={emptyApp(whoami.user.admin ? '' : (project ?? ''))} />
    </>
  );
}
