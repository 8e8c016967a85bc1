import { Login } from '@gureum/contract';
import { useEffect, useState, type FormEvent } from 'react';
import { createClient } from '../api/client.js';
import { describeError } from '../api/errors.js';
import { useSubmit } from '../api/hooks.js';
import { Button } from '../ui/button.js';
import { ErrorBanner } from '../ui/error-banner.js';
import { TextField } from '../ui/field.js';
import { localErrors } from '../ui/validate.js';

interface Props {
  /** Why the user is here (a session that ended). */
  error?: unknown;
  /** Called with the CSRF token of the new session. */
  onSignedIn: (csrf: string) => Promise<void>;
}

/** Password login: the API sets the session cookie and answers the CSRF token for writes. */
export default function LoginPage({ error, onSignedIn }: Props) {
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [local, setLocal] = useState<Record<string, string>>({});
  const submit = useSubmit(async () => {
    const result = await createClient(null).call('login', { body: { user, password } });
    await onSignedIn(result.csrfToken);
  });
  useEffect(() => {
    document.title = 'Sign in · Gureum';
  }, []);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const found = localErrors(Login, { user, password });
    setLocal(found);
    if (Object.keys(found).length === 0) void submit.run();
  };
  const fields = { ...(submit.error === undefined ? {} : describeError(submit.error).fields), ...local };
  return (
    <main className="login" id="main">
      <form className="panel" onSubmit={onSubmit} noValidate>
        <h1>Gureum</h1>
        <p className="muted">Sign in to deploy and watch your applications.</p>
        <ErrorBanner error={submit.error ?? error} />
        <TextField label="User" name="user" autoComplete="username" value={user} onChange={(e) => setUser(e.target.value)} error={fields.user} required autoFocus />
        <TextField label="Password" name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} error={fields.password} required />
        <Button type="submit" variant="primary" busy={submit.busy}>
          Sign in
        </Button>
      </form>
    </main>
  );
}
