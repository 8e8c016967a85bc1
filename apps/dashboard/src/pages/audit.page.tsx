import type { PageProps } from '../app/page-route.js';
import { PageHeader } from '../ui/page-header.js';
import { AuditLog } from './audit-log.js';

/** Every change and refusal in one project, for its owners. */
export default function ProjectAuditPage({ params }: PageProps) {
  const project = params.project!;
  return (
    <>
      <PageHeader title="Audit log" subtitle={`Every change, refusal and terminal session in ${project}, newest first`} />
      <AuditLog scope={project} load={(c, query) => c.call('listProjectAudit', { params: { project }, query })} />
    </>
  );
}
