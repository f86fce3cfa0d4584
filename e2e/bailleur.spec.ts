import { describeCommonRole } from './helpers';

describeCommonRole('bailleur', 'bailleur social');
