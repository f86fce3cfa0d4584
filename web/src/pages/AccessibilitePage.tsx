import { usePageTitle } from '../usePageTitle';

export function AccessibilitePage() {
  usePageTitle('Accessibilité');
  return (
    <>
      <h1>Déclaration d’accessibilité</h1>
      <p>
        Atelier s’engage à rendre ses services accessibles, conformément à l’article 47 de la loi n° 2005-102 du 11
        février 2005.
      </p>
      <h2>État de conformité</h2>
      <p>
        Atelier est <strong>non conforme</strong> au référentiel général d’amélioration de l’accessibilité (RGAA) :
        aucun audit n’a encore été réalisé. Chaque page est vérifiée automatiquement (outil axe) à chaque
        modification du code.
      </p>
      <h2>Contenus non accessibles</h2>
      <p>
        La carte des communes n’est pas utilisable sans la souris ; la liste des communes placée à côté de la carte
        permet d’ouvrir les mêmes fiches au clavier et avec un lecteur d’écran.
      </p>
    </>
  );
}
