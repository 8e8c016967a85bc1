import { Component, lazy, Suspense, useMemo, useState, type ComponentType, type ErrorInfo, type ReactNode } from 'react';
import { ErrorBanner } from '../ui/error-banner.js';
import { Loading } from '../ui/status.js';
import { Empty } from '../ui/status.js';
import { NewProjectButton } from './new-project.js';
import { LiveIndicator } from './live-indicator.js';
import type { PageProps, RegisteredPage } from './page-route.js';
import { loadedPage, registeredPages } from './registry.js';
import { Link, pathOf } from './router.js';
import { can, useSession } from './session.js';
import { applyTheme, effectiveTheme, storedTheme, type Theme } from './theme.js';

const lazyPages = new Map<string, ComponentType<PageProps>>();
function componentOf(page: RegisteredPage): ComponentType<PageProps> {
  let c = lazyPages.get(page.name);
  // A page preloaded while the session was checked renders at once, without suspending once more.
  if (!c) lazyPages.set(page.name, (c = loadedPage(page.name)?.default ?? lazy(page.load)));
  return c;
}

/** Keeps a page's own bug from blanking the whole dashboard. */
class PageBoundary extends Component<{ children: ReactNode; resetKey: string }, { error: unknown; key: string }> {
  override state = { error: undefined as unknown, key: this.props.resetKey };
  static getDerivedStateFromError(error: unknown) {
    return { error };
  }
  static getDerivedStateFromProps(props: { resetKey: string }, state: { error: unknown; key: string }) {
    return props.resetKey !== state.key ? { error: undefined, key: props.resetKey } : null;
  }
  override componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error(error, info.componentStack);
  }
  override render() {
    return this.state.error === undefined ? this.props.children : <ErrorBanner error={this.state.error} />;
  }
}

function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>(storedTheme);
  const shown = effectiveTheme(theme);
  const next = shown === 'dark' ? 'light' : 'dark';
  return (
    <button
      type="button"
      className="btn btn-small"
      aria-label={`Switch to the ${next} theme`}
      onClick={() => {
        applyTheme(next);
        setTheme(next);
      }}
    >
      {shown === 'dark' ? '☾ Dark' : '☀ Light'}
    </button>
  );
}

function ProjectSwitcher() {
  const { projects, project, setProject } = useSession();
  if (projects.length === 0) return <span className="muted">No project yet</span>;
  return (
    <label>
      <span className="visually-hidden">Project</span>
      <select value={project ?? ''} onChange={(e) => setProject(e.target.value)} aria-label="Project">
        {projects.map((p) => (
          <option key={p.name} value={p.name}>
            {p.name}
          </option>
        ))}
      </select>
    </label>
  );
}

function Nav({ current }: { current: RegisteredPage | undefined }) {
  const { whoami, project } = useSession();
  const sections = useMemo(() => {
    const visible = registeredPages
      .filter((p) => p.route.nav && (!p.route.admin || whoami.user.admin) && (!p.route.minRole || can(whoami, project, p.route.minRole)))
      .filter((p) => !p.route.path.includes(':project') || project !== null)
      .sort((a, b) => a.route.nav!.order - b.route.nav!.order);
    return (['project', 'global', 'admin'] as const).map((s) => ({ section: s, pages: visible.filter((p) => p.route.nav!.section === s) }));
  }, [whoami, project]);
  const titles = { project: project ? `Project ${project}` : 'Project', global: 'Gureum', admin: 'Administration' };
  return (
    <nav className="sidenav" aria-label="Main">
      {sections
        .filter((s) => s.pages.length > 0)
        .map((s) => (
          <div key={s.section}>
            <h2 className="visually-hidden">{titles[s.section]}</h2>
            <ul>
              {s.pages.map((p) => (
                <li key={p.name}>
                  <Link to={pathOf(p.route.path, { project: project ?? '' })} aria-current={current?.name === p.name ? 'page' : undefined}>
                    {p.route.nav!.label}
                  </Link>
                </li>
              ))}
            </ul>
          </div>
        ))}
    </nav>
  );
}

/** Top bar, navigation and the page the location shows. */
export function Shell({ match }: { match: { page: RegisteredPage; params: Record<string, string> } | null }) {
  const { whoami, logout } = useSession();
  const Page = match ? componentOf(match.page) : null;
  const resetKey = match ? `${match.page.name}:${JSON.stringify(match.params)}` : 'none';
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to the page
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          Gureum
        </Link>
        <ProjectSwitcher />
        {whoami.canCreateProjects && <NewProjectButton />}
        <LiveIndicator />
        <ThemeToggle />
        <span className="muted" data-testid="whoami">
          {whoami.user.name}
          {whoami.user.admin ? ' (admin)' : ''}
        </span>
        <button type="button" className="btn btn-small" onClick={() => void logout()}>
          Sign out
        </button>
      </header>
      <Nav current={match?.page} />
      <main id="main" tabIndex={-1}>
        <PageBoundary resetKey={resetKey}>
          <Suspense fallback={<Loading />}>{Page && match ? <Page params={match.params} /> : <Empty>There is no page here. Choose one from the navigation.</Empty>}</Suspense>
        </PageBoundary>
      </main>
    </div>
  );
}
