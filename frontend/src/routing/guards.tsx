// Route guards. They only shape the UI: the server checks every permission again on every request.
import type { ReactNode } from 'react';
import { Navigate, Outlet, useLocation, useSearchParams } from 'react-router';
import { useIsLoggingOut, useMe } from '../api/queries';
import type { AnyPermission } from '../api/hiringTypes';
import { hasAnyPermission } from '../api/permissions';
import type { Me } from '../api/types';
import { Loading, LoadError } from '../components/feedback';
import { ForbiddenPage } from '../pages/StatusPages';

/** Accepts only same-site paths for `?next=` so a crafted link cannot send someone elsewhere after login. */
export function safeNext(next: string | null | undefined): string | null {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null;
  if (/[\u0000-\u001f]/.test(next)) return null;
  return next;
}

export function homePathFor(me: Me | null | undefined): string {
  if (!me) return '/login';
  // Crew members' home is their shifts (with the open shifts they can claim and their pending requests); staff
  // land on the dashboard.
  if (me.role === 'applicant') return '/portal';
  return me.role === 'crew_member' ? '/me/shifts' : '/staff';
}

export function loginPathWithNext(pathname: string, search: string): string {
  const next = pathname + search;
  return next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`;
}

function SessionGate({ children }: { children: (me: Me | null) => ReactNode }) {
  const me = useMe();
  if (me.isPending) return <Loading />;
  if (me.isError) return <LoadError error={me.error} onRetry={() => void me.refetch()} />;
  return <>{children(me.data)}</>;
}

/** Logged-in users only; others go to the login page and come back afterwards. */
export function RequireAuth({ children }: { children?: ReactNode }) {
  const location = useLocation();
  return (
    <SessionGate>
      {(me) =>
        me ? (children ?? <Outlet />) : <Navigate to={loginPathWithNext(location.pathname, location.search)} replace />
      }
    </SessionGate>
  );
}

/**
 * Pages for anonymous visitors (login, register): a logged-in user is sent on — to `?next=`, else to where the
 * page says (`destination`, e.g. the apply form after registering through a QR link), else home.
 */
export function AnonymousOnly({
  children,
  destination,
}: {
  children: ReactNode;
  destination?: (me: Me, params: URLSearchParams) => string | null;
}) {
  const [params] = useSearchParams();
  const loggingOut = useIsLoggingOut();
  return (
    <SessionGate>
      {(me) =>
        me && !loggingOut ? (
          <Navigate to={safeNext(params.get('next')) ?? destination?.(me, params) ?? homePathFor(me)} replace />
        ) : (
          children
        )
      }
    </SessionGate>
  );
}

/** `/`: the right home for the role. */
export function HomeRedirect() {
  return <SessionGate>{(me) => <Navigate to={homePathFor(me)} replace />}</SessionGate>;
}

/** Shows the 403 page unless the current user has the permission (or one of them). Use inside RequireAuth. */
export function RequirePermission({
  permission,
  children,
}: {
  permission: AnyPermission | readonly AnyPermission[];
  children: ReactNode;
}) {
  const wanted: readonly AnyPermission[] = typeof permission === 'string' ? [permission] : permission;
  return <SessionGate>{(me) => (hasAnyPermission(me, wanted) ? children : <ForbiddenPage />)}</SessionGate>;
}

/** Applicants and staff each have their own home; the other one is sent to theirs. */
export function RequireApplicant({ children }: { children: ReactNode }) {
  return (
    <SessionGate>
      {(me) => (me && me.role !== 'applicant' ? <Navigate to={homePathFor(me)} replace /> : children)}
    </SessionGate>
  );
}

export function RequireStaff({ children }: { children: ReactNode }) {
  return (
    <SessionGate>
      {(me) => (me && me.role === 'applicant' ? <Navigate to={homePathFor(me)} replace /> : children)}
    </SessionGate>
  );
}
