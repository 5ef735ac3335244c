import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ToastProvider } from './components/toast';
import type { Language } from './i18n/core';
import { I18nProvider } from './i18n/I18nProvider';

/** Everything a page needs around it; the router goes inside (browser router in the app, memory router in tests). */
export function AppProviders({
  client,
  language,
  children,
}: {
  client: QueryClient;
  language?: Language;
  children: ReactNode;
}) {
  return (
    <QueryClientProvider client={client}>
      <I18nProvider {...(language ? { initial: language } : {})}>
        <ToastProvider>{children}</ToastProvider>
      </I18nProvider>
    </QueryClientProvider>
  );
}
