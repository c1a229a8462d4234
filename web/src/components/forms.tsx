// Form building blocks: labelled fields with their own error message, and a form-level alert.

import { useId, type InputHTMLAttributes, type ReactNode } from 'react';
import { ApiError } from '../api/client';

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  error?: string;
}

export function Field({ label, error, ...input }: FieldProps) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-invalid={error ? true : undefined} aria-describedby={error ? errorId : undefined} {...input} />
      {error && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}

export function Alert({ children, tone = 'error' }: { children: ReactNode; tone?: 'error' | 'info' }) {
  return (
    <div className={`alert alert-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

/** What to show for a failed request: the envelope's message and per-field messages. */
export interface Problem {
  message: string | null;
  fields: Record<string, string>;
}

export const noProblem: Problem = { message: null, fields: {} };

export function problemOf(error: unknown): Problem {
  if (error instanceof ApiError) {
    const fields = error.fieldErrors();
    return { message: error.message, fields };
  }
  return { message: 'Zenalto could not be reached. Check your connection and try again.', fields: {} };
}

export function ProblemAlert({ problem }: { problem: Problem }) {
  return problem.message ? <Alert>{problem.message}</Alert> : null;
}
