import { useEffect } from 'react';

/** Sets the document title as "<page> — Atelier", as the DSFR recommends (unique title per page). */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} — Atelier`;
  }, [title]);
}
