import type { ReactNode } from 'react';

/** The centred card the anonymous pages share. */
export function AuthCard({ title, intro, children, footer }: {
  title: ReactNode;
  intro?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <section className="auth">
      <div className="card auth__card">
        <h1 className="auth__title">{title}</h1>
        {intro ? <p className="auth__intro">{intro}</p> : null}
        {children}
      </div>
      {footer ? <div className="auth__footer">{footer}</div> : null}
    </section>
  );
}
