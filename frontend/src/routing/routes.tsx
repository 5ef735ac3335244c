import type { RouteObject } from 'react-router';
import { Layout } from '../components/Layout';
import { RouteError } from './RouteError';
import { CheckEmailPage, ForgotPasswordPage } from '../pages/ForgotPasswordPage';
import { LoginPage } from '../pages/LoginPage';
import { PortalPage } from '../pages/PortalPage';
import { afterRegistration, RegisterPage } from '../pages/RegisterPage';
import { ResetPasswordPage } from '../pages/ResetPasswordPage';
import { StaffPage } from '../pages/StaffPage';
import { NotFoundPage } from '../pages/StatusPages';
import { OutboxPage } from '../pages/admin/OutboxPage';
import { UsersPage } from '../pages/admin/UsersPage';
import { PersonPage } from '../pages/people/PersonPage';
import { ApplicationPage } from '../pages/hiring/ApplicationPage';
import { ApplyPage } from '../pages/hiring/ApplyPage';
import { BoardPage } from '../pages/hiring/BoardPage';
import { LocationsPage } from '../pages/hiring/LocationsPage';
import { PosterPage } from '../pages/hiring/PosterPage';
import { CrewMemberPage } from '../pages/crew/CrewMemberPage';
import { RosterPage } from '../pages/crew/RosterPage';
import { MySchedulePage } from '../pages/scheduling/MySchedulePage';
import { TemplatesPage } from '../pages/scheduling/TemplatesPage';
import { WeekPage } from '../pages/scheduling/WeekPage';
import { LOCATION_PAGE_PERMISSIONS } from '../api/permissions';
import {
  AnonymousOnly,
  HomeRedirect,
  RequireApplicant,
  RequireAuth,
  RequirePermission,
  RequireStaff,
} from './guards';

export const routes: RouteObject[] = [
  {
    element: <Layout />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: <HomeRedirect /> },
      { path: 'login', element: <AnonymousOnly><LoginPage /></AnonymousOnly> },
      {
        path: 'register',
        element: <AnonymousOnly destination={afterRegistration}><RegisterPage /></AnonymousOnly>,
      },
      { path: 'forgot-password', element: <ForgotPasswordPage /> },
      { path: 'check-email', element: <CheckEmailPage /> },
      { path: 'reset-password', element: <ResetPasswordPage /> },
      // Public: QR posters and application links lead here (anonymous visitors go on to the registration).
      { path: 'apply/:code', element: <ApplyPage /> },
      {
        element: <RequireAuth />,
        children: [
          { path: 'portal', element: <RequireApplicant><PortalPage /></RequireApplicant> },
          { path: 'staff', element: <RequireStaff><StaffPage /></RequireStaff> },
          { path: 'staff/people/:id', element: <RequireStaff><PersonPage /></RequireStaff> },
          {
            path: 'staff/board',
            element: <RequirePermission permission="applications.view"><BoardPage /></RequirePermission>,
          },
          {
            path: 'staff/applications/:id',
            element: <RequirePermission permission="applications.view"><ApplicationPage /></RequirePermission>,
          },
          {
            path: 'staff/locations',
            element: <RequirePermission permission={LOCATION_PAGE_PERMISSIONS}><LocationsPage /></RequirePermission>,
          },
          {
            path: 'staff/locations/:id/poster',
            element: <RequirePermission permission={LOCATION_PAGE_PERMISSIONS}><PosterPage /></RequirePermission>,
          },
          {
            path: 'staff/schedule',
            element: <RequirePermission permission="schedule.edit"><WeekPage /></RequirePermission>,
          },
          {
            path: 'staff/schedule/:locationId/:isoWeek',
            element: <RequirePermission permission="schedule.edit"><WeekPage /></RequirePermission>,
          },
          {
            path: 'schedule',
            element: <RequirePermission permission="schedule.view"><MySchedulePage /></RequirePermission>,
          },
          {
            path: 'schedule/:locationId/:isoWeek',
            element: <RequirePermission permission="schedule.view"><MySchedulePage /></RequirePermission>,
          },
          {
            path: 'staff/templates',
            element: <RequirePermission permission="schedule.manage"><TemplatesPage /></RequirePermission>,
          },
          {
            path: 'staff/crew',
            element: <RequirePermission permission="crew.view"><RosterPage /></RequirePermission>,
          },
          {
            path: 'staff/crew/:userId',
            element: <RequirePermission permission="crew.view"><CrewMemberPage /></RequirePermission>,
          },
          {
            path: 'admin/users',
            element: <RequirePermission permission="users.manage"><UsersPage /></RequirePermission>,
          },
          {
            path: 'admin/outbox',
            element: <RequirePermission permission="outbox.view"><OutboxPage /></RequirePermission>,
          },
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];
