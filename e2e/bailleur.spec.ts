import { describeCommonRole } from './helpers';

describeCommonRole('bailleur', 'bailleur social', { operations: true, foncier: true, attributions: true });
