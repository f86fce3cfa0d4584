import { fr } from '@codegouvfr/react-dsfr/fr';

/** A polite, announced loading message. */
export function Loading({ label = 'Chargement…' }: { label?: string }) {
  return (
    <p role="status" className={fr.cx('fr-text--sm', 'fr-my-4w')}>
      {label}
    </p>
  );
}
