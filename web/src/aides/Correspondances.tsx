import { fr } from '@codegouvfr/react-dsfr/fr';
import { Link } from 'react-router';
import type { Correspondance } from './types';

/** A titled list of matched aids, each with its reasons. */
export function ListeCorrespondances({ titre, items, niveau = 2 }: { titre: string; items: Correspondance[]; niveau?: 2 | 3 }) {
  const Titre = niveau === 2 ? 'h2' : 'h3';
  return (
    <section aria-label={titre}>
      <Titre>
        {titre} ({items.length})
      </Titre>
      <ul>
        {items.map((c) => (
          <li key={c.aide.slug} className={fr.cx('fr-mb-2w')}>
            <Link to={`/aides/${c.aide.slug}`}>{c.aide.name}</Link>
            <p className={fr.cx('fr-text--sm', 'fr-mb-0')}>Pourquoi : {c.raisons.join(' ; ')}</p>
            {c.manques.length > 0 && <p className={fr.cx('fr-text--sm', 'fr-mb-0')}>Ce qui manque : {c.manques.join(' ; ')}</p>}
            {c.a_verifier.length > 0 && <p className={fr.cx('fr-text--sm', 'fr-mb-0')}>À vérifier : {c.a_verifier.join(' ; ')}</p>}
          </li>
        ))}
      </ul>
    </section>
  );
}
