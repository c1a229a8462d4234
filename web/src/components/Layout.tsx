import type { ReactNode } from 'react';

export function AuthCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="auth">
      <div className="card">
        <p className="brand" aria-hidden="true">
          Zenalto
        </p>
        <h1>{title}</h1>
        {children}
      </div>
    </main>
  );
}
