import type { RouteObject } from 'react-router';
import { Layout } from '../components/Layout';
import { RouteError } from './RouteError';
import { CheckEmailPage, ForgotPasswordPage } from '../pages/ForgotPasswordPage';
import { LoginPage } from '../pages/LoginPage';
import { PortalPage } from '../pages/PortalPage';
import { RegisterPage } from '../pages/RegisterPage';
import { ResetPasswordPage } from '../pages/ResetPasswordPage';
import { StaffPage } from '../pages/StaffPage';
import { NotFoundPage } from '../pages/StatusPages';
import { OutboxPage } from '../pages/admin/OutboxPage';
import { UsersPage } from '../pages/admin/UsersPage';
import { PersonPage } from '../pages/people/PersonPage';
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
      { path: 'register', element: <AnonymousOnly><RegisterPage /></AnonymousOnly> },
      { path: 'forgot-password', element: <ForgotPasswordPage /> },
      { path: 'check-email', element: <CheckEmailPage /> },
      { path: 'reset-password', element: <ResetPasswordPage /> },
      {
        element: <RequireAuth />,
        children: [
          { path: 'portal', element: <RequireApplicant><PortalPage /></RequireApplicant> },
          { path: 'staff', element: <RequireStaff><StaffPage /></RequireStaff> },
          { path: 'staff/people/:id', element: <RequireStaff><PersonPage /></RequireStaff> },
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
