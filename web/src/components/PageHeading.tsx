import type { ComponentChildren } from 'preact';
import { useLocation } from 'preact-iso/router';
import { useEffect, useRef } from 'preact/hooks';

/**
 * The page's one h1. After every navigation to another path (not a change of query, such as a
 * tab) focus moves here, so a screen reader announces the new page and the next Tab starts at its
 * top; the tab's title follows the heading.
 */
export function PageHeading({ title, children }: { title: string; children?: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const { path } = useLocation();
  useEffect(() => {
    heading.current?.focus();
  }, [path]);
  useEffect(() => {
    document.title = `${title} · BookIT`;
  }, [title]);
  return (
    <h1 ref={heading} tabIndex={-1}>
      {children ?? title}
    </h1>
  );
}
