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
import { ApplyPage } from '../pages/hiring/ApplyPage';
import { LOCATION_PAGE_PERMISSIONS } from '../api/permissions';
import {
  AnonymousOnly,
  HomeRedirect,
  RequireApplicant,
  RequireAuth,
  RequirePermission,
  RequireStaff,
} from './guards';
import { lazyPage } from './lazyPage';

// Screens only staff (or only crew) open are loaded when first visited, so the login, registration, portal and
// staff home load without the board, the week grid and their drag-and-drop library.
const OutboxPage = lazyPage(() => import('../pages/admin/OutboxPage'), 'OutboxPage');
const UsersPage = lazyPage(() => import('../pages/admin/UsersPage'), 'UsersPage');
const PersonPage = lazyPage(() => import('../pages/people/PersonPage'), 'PersonPage');
const ApplicationPage = lazyPage(() => import('../pages/hiring/ApplicationPage'), 'ApplicationPage');
const BoardPage = lazyPage(() => import('../pages/hiring/BoardPage'), 'BoardPage');
const LocationsPage = lazyPage(() => import('../pages/hiring/LocationsPage'), 'LocationsPage');
const PosterPage = lazyPage(() => import('../pages/hiring/PosterPage'), 'PosterPage');
const CrewMemberPage = lazyPage(() => import('../pages/crew/CrewMemberPage'), 'CrewMemberPage');
const RosterPage = lazyPage(() => import('../pages/crew/RosterPage'), 'RosterPage');
const MySchedulePage = lazyPage(() => import('../pages/scheduling/MySchedulePage'), 'MySchedulePage');
const TemplatesPage = lazyPage(() => import('../pages/scheduling/TemplatesPage'), 'TemplatesPage');
const WeekPage = lazyPage(() => import('../pages/scheduling/WeekPage'), 'WeekPage');
const MyShiftsPage = lazyPage(() => import('../pages/selfservice/MyShiftsPage'), 'MyShiftsPage');
const CalendarFeedPage = lazyPage(() => import('../pages/selfservice/CalendarFeedPage'), 'CalendarFeedPage');
const AvailabilityPage = lazyPage(() => import('../pages/selfservice/AvailabilityPage'), 'AvailabilityPage');
const TimeOffPage = lazyPage(() => import('../pages/selfservice/TimeOffPage'), 'TimeOffPage');
const RequestsInboxPage = lazyPage(() => import('../pages/requests/RequestsInboxPage'), 'RequestsInboxPage');
const OpenShiftsPage = lazyPage(() => import('../pages/selfservice/OpenShiftsPage'), 'OpenShiftsPage');
const MyRequestsPage = lazyPage(() => import('../pages/selfservice/MyRequestsPage'), 'MyRequestsPage');
const ExportsPage = lazyPage(() => import('../pages/exports/ExportsPage'), 'ExportsPage');
const AuditPage = lazyPage(() => import('../pages/audit/AuditPage'), 'AuditPage');
const KnowledgePage = lazyPage(() => import('../pages/knowledge/KnowledgePage'), 'KnowledgePage');
const ArticlePage = lazyPage(() => import('../pages/knowledge/ArticlePage'), 'ArticlePage');
const ArticleEditorPage = lazyPage(() => import('../pages/knowledge/ArticleEditorPage'), 'ArticleEditorPage');
const VersionsPage = lazyPage(() => import('../pages/knowledge/VersionsPage'), 'VersionsPage');
const NotificationsPage = lazyPage(() => import('../pages/selfservice/NotificationsPage'), 'NotificationsPage');
const CashCountPage = lazyPage(() => import('../pages/cash/CashCountPage'), 'CashCountPage');
const CashApprovalsPage = lazyPage(() => import('../pages/cash/CashApprovalsPage'), 'CashApprovalsPage');
const CashOverviewPage = lazyPage(() => import('../pages/cash/CashOverviewPage'), 'CashOverviewPage');

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
          // Crew self-service (crew members and floor managers).
          {
            path: 'me/shifts',
            element: <RequirePermission permission="self.service"><MyShiftsPage /></RequirePermission>,
          },
          {
            path: 'me/calendar',
            element: <RequirePermission permission="self.service"><CalendarFeedPage /></RequirePermission>,
          },
          {
            path: 'me/availability',
            element: <RequirePermission permission="self.service"><AvailabilityPage /></RequirePermission>,
          },
          {
            path: 'me/time-off',
            element: <RequirePermission permission="self.service"><TimeOffPage /></RequirePermission>,
          },
          {
            path: 'me/open-shifts',
            element: <RequirePermission permission="self.service"><OpenShiftsPage /></RequirePermission>,
          },
          {
            path: 'me/requests',
            element: <RequirePermission permission="self.service"><MyRequestsPage /></RequirePermission>,
          },
          { path: 'me/notifications', element: <NotificationsPage /> },
          {
            path: 'staff/requests',
            element: <RequirePermission permission="requests.view"><RequestsInboxPage /></RequirePermission>,
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
            path: 'staff/exports',
            element: <RequirePermission permission="exports.download"><ExportsPage /></RequirePermission>,
          },
          {
            path: 'staff/audit',
            element: <RequirePermission permission="audit.view"><AuditPage /></RequirePermission>,
          },
          {
            path: 'cash',
            element: <RequirePermission permission="cash.count"><CashCountPage /></RequirePermission>,
          },
          {
            path: 'cash/approvals',
            element: <RequirePermission permission="cash.approve"><CashApprovalsPage /></RequirePermission>,
          },
          {
            path: 'cash/overview',
            element: <RequirePermission permission="cash.view"><CashOverviewPage /></RequirePermission>,
          },
          {
            path: 'admin/users',
            element: <RequirePermission permission="users.manage"><UsersPage /></RequirePermission>,
          },
          {
            path: 'admin/outbox',
            element: <RequirePermission permission="outbox.view"><OutboxPage /></RequirePermission>,
          },
          {
            path: 'knowledge',
            element: <RequirePermission permission="knowledge.read"><KnowledgePage /></RequirePermission>,
          },
          {
            path: 'knowledge/new',
            element: <RequirePermission permission="knowledge.edit"><ArticleEditorPage /></RequirePermission>,
          },
          {
            path: 'knowledge/:id',
            element: <RequirePermission permission="knowledge.read"><ArticlePage /></RequirePermission>,
          },
          {
            path: 'knowledge/:id/edit',
            element: <RequirePermission permission="knowledge.edit"><ArticleEditorPage /></RequirePermission>,
          },
          {
            path: 'knowledge/:id/history',
            element: <RequirePermission permission="knowledge.edit"><VersionsPage /></RequirePermission>,
          },
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];
