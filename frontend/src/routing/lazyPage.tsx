// A route's screen in its own chunk: React.lazy around a named export, shown with the app's loading state while
// the chunk arrives.
import { lazy, Suspense, type ComponentType } from 'react';
import { Loading } from '../components/feedback';

export function lazyPage<K extends string>(
  load: () => Promise<Record<K, ComponentType>>,
  name: K,
): ComponentType {
  const Page = lazy<ComponentType>(async () => ({ default: (await load())[name] }));
  return function LazyPage() {
    return (
      <Suspense fallback={<Loading />}>
        <Page />
      </Suspense>
    );
  };
}
