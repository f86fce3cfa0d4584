import { describeCommonRole } from './helpers';

describeCommonRole('financeur', 'financeur');
