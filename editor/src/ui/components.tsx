import { useId, type ButtonHTMLAttributes, type ReactNode } from 'react';

export function Button({ variant, small, ...props }: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: 'primary' | 'danger'; small?: boolean }) {
  const className = ['btn', variant ? `btn-${variant}` : '', small ? 'btn-small' : '', props.className ?? ''].filter(Boolean).join(' ');
  return <button type="button" {...props} className={className} />;
}

/** A labelled form control with its help and error text, wired for screen readers. */
export function Field(props: { label: string; help?: string | undefined; error?: string | undefined; children: (id: string, describedBy: string | undefined) => ReactNode }) {
  const id = useId();
  const helpId = props.help ? `${id}-help` : undefined;
  const errorId = props.error ? `${id}-error` : undefined;
  const describedBy = [helpId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${props.error ? ' invalid' : ''}`}>
      <label htmlFor={id}>{props.label}</label>
      {props.children(id, describedBy)}
      {props.help ? (
        <div className="help" id={helpId}>
          {props.help}
        </div>
      ) : null}
      {props.error ? (
        <div className="error" id={errorId} role="alert">
          {props.error}
        </div>
      ) : null}
    </div>
  );
}

export function Badge({ tone, children }: { tone?: 'ok' | 'warning' | 'danger'; children: ReactNode }) {
  return <span className={`badge${tone ? ` badge-${tone}` : ''}`}>{children}</span>;
}

export function ErrorBanner({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <div className="banner banner-error" role="alert">
      {error instanceof Error ? error.message : String(error)}
    </div>
  );
}
