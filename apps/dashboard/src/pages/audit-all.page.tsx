import { PageHeader } from '../ui/page-header.js';
import { AuditLog } from './audit-log.js';

/** Gureum's whole audit log, for the admin. */
export default function AuditAllPage() {
  return (
    <>
      <PageHeader title="Audit log of Gureum" subtitle="Every change, refusal and terminal session in every project, newest first" />
      <AuditLog scope="Gureum" load={(c, query) => c.call('listAudit', { query })} />
    </>
  );
}
