import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// `findBy…` and `waitFor` give up after one second by default. Lazily loaded screens (the dashboard's charts)
// take longer than that to import while the CI machine's two cores are busy, which failed tests at random;
// a real miss still fails, only later.
configure({ asyncUtilTimeout: 5_000 });

afterEach(() => {
  cleanup();
  localStorage.clear();
});
