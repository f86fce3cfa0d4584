import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { Loading } from '../components/Loading';
import { useApi } from '../useApi';
import { usePageTitle } from '../usePageTitle';
import type { Statistiques as Stats } from './types';


/** Search statistics for the DDTM: the indicators of solution 3 (no personal data is logged). */
export function StatistiquesAidesPage() {
  usePageTitle('Statistiques des recherches d’aides');
  const [stats] = useApi<Stats>('/api/v1/aides/revue/statistiques');
  if (stats.status === 'loading') return <Loading />;
  if (stats.status === 'error') return <Alert severity="error" small description={stats.message} />;
  const s = stats.data;
  const vide = (rows: unknown[], t: string) => (rows.length === 0 ? <p>{t}</p> : null);
  return (
    <>
      <h1>Statistiques des recherches d’aides</h1>
      <p>Chaque recherche est enregistrée sans donnée personnelle : texte, filtres, nombre de résultats, public, clics.</p>
      <h2>Recherches par mois</h2>
      {vide(s.par_mois, 'Aucune recherche enregistrée.')}
      {s.par_mois.length > 0 && <Table caption="Recherches par mois" headers={['Mois', 'Recherches', 'Sans résultat', 'Sans clic']} data={s.par_mois.map((m) => [m.mois, String(m.recherches), String(m.sans_resultat), String(m.sans_clic)])} />}
      <h2>Requêtes les plus fréquentes</h2>
      {vide(s.frequentes, 'Aucune requête.')}
      {s.frequentes.length > 0 && <Table caption="Requêtes les plus fréquentes" headers={['Requête', 'Nombre', 'Résultats (moyenne)', 'Clics']} data={s.frequentes.map((q) => [q.texte, String(q.n), String(q.resultats_moyens), String(q.clics)])} />}
      <h2>Requêtes sans résultat</h2>
      {vide(s.sans_resultat, 'Aucune requête sans résultat.')}
      {s.sans_resultat.length > 0 && <Table caption="Requêtes sans résultat" headers={['Requête', 'Nombre', 'Dernière fois']} data={s.sans_resultat.map((q) => [q.texte, String(q.n), new Date(q.derniere).toLocaleDateString('fr-FR')])} />}
      <h2>Requêtes dont aucun résultat n’a été ouvert</h2>
      {vide(s.sans_clic, 'Aucune.')}
      {s.sans_clic.length > 0 && <Table caption="Requêtes sans clic" headers={['Requête', 'Nombre', 'Résultats (moyenne)']} data={s.sans_clic.map((q) => [q.texte, String(q.n), String(q.resultats_moyens)])} />}
      <h2>Aides les plus consultées</h2>
      {s.aides_les_plus_vues.length > 0 && <Table caption="Vues et clics par aide" headers={['Aide', 'Vues', 'Clics']} data={s.aides_les_plus_vues.map((a) => [a.name, String(a.vues), String(a.clics)])} />}
    </>
  );
}
